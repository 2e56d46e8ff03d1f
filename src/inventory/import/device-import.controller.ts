import { Body, Controller, Headers, Post, UseFilters } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal } from '../../auth/role';
import { Roles } from '../../auth/roles.decorator';
import { ApiDuplicateResponse } from '../../openapi/error-responses';
import { ApiRequestContent } from '../../openapi/request-content';
import { DeviceImportService } from './device-import.service';
import { DEVICE_IMPORT_CONTENT } from './dto/device-import-body';
import { DeviceImportResultDto, ImportRejectedDto } from './dto/device-import.dto';
import { ImportRejectedFilter } from './import-rejected.filter';

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
      'CSV columns: manufacturer, modelNumber (or modelId), serialNumber, assetTag, udi, firmwareVersion, location, department, ' +
      'and the SSVC inputs systemExposure, missionImpact, safetyImpact (values as on POST /devices; empty: not set). ' +
      'A FHIR Bundle (application/fhir+json or application/json): each entry a Device, read as GET /fhir/Device publishes it ' +
      '(manufacturer and modelNumber, serialNumber, udiCarrier[0].carrierHRF, the version typed "firmware", the identifier typed "Asset tag", location.display, ' +
      'and the SSVC inputs as property entries whose type text or first coding code is systemExposure, missionImpact or safetyImpact, valueCode[0] its text or first coding code). ' +
      'Every row is checked like POST /devices; if any fails, the answer lists every problem by row and nothing is written. At most 50,000 devices.',
  })
  @ApiConsumes('text/csv', 'application/fhir+json', 'application/json')
  @ApiRequestContent(DEVICE_IMPORT_CONTENT)
  @ApiCreatedResponse({ type: DeviceImportResultDto })
  @ApiBadRequestResponse({ type: ImportRejectedDto, description: 'Row errors; nothing imported' })
  @ApiDuplicateResponse('Another request registered one of these serials or asset tags meanwhile; nothing imported')
  import(
    @CurrentPrincipal() actor: Principal,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<DeviceImportResultDto> {
    return this.imports.import(actor, contentType, body);
  }
}
