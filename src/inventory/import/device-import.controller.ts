import { Body, Controller, Headers, Post, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal } from '../../auth/role';
import { Roles } from '../../auth/roles.decorator';
import { DeviceImportService } from './device-import.service';
import { DeviceImportResultDto, ImportRejectedDto } from './dto/device-import.dto';
import { ImportRejectedFilter } from './import-rejected.filter';

const CSV_EXAMPLE = 'manufacturer,modelNumber,serialNumber,assetTag,udi,firmwareVersion,location,department\nBaxter,35700BAX3,SN-1,BME-1,,8.00.01,ICU / Bed 12,Intensive Care\n';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('devices')
export class DeviceImportController {
  constructor(private readonly imports: DeviceImportService) {}

  @Post('import')
  @Roles('admin', 'biomed')
  @UseFilters(ImportRejectedFilter)
  @ApiOperation({
    summary: 'Import devices, all or nothing: a CSV file or a FHIR R4 Bundle of Device resources',
    description:
      'CSV columns: manufacturer, modelNumber (or modelId), serialNumber, assetTag, udi, firmwareVersion, location, department. ' +
      'Every row is checked like POST /devices; if any fails, the answer lists every problem by row and nothing is written. At most 50,000 devices.',
  })
  @ApiConsumes('text/csv', 'application/fhir+json', 'application/json')
  @ApiBody({ schema: { type: 'string', example: CSV_EXAMPLE } })
  @ApiCreatedResponse({ type: DeviceImportResultDto })
  @ApiBadRequestResponse({ type: ImportRejectedDto, description: 'Row errors; nothing imported' })
  import(@CurrentPrincipal() actor: Principal, @Headers('content-type') contentType: string | undefined, @Body() body: unknown): Promise<DeviceImportResultDto> {
    return this.imports.import(actor, contentType, body);
  }
}
