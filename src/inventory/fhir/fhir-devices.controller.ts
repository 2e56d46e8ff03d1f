import { Controller, Get, Header, Param, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Bundle, Device } from '@medplum/fhirtypes';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal } from '../../auth/role';
import { Roles } from '../../auth/roles.decorator';
import { FHIR_DEVICE_SCHEMA, FHIR_SEARCHSET_SCHEMA } from './dto/fhir-device.schema';
import { FhirDeviceSearchDto } from './dto/fhir-device-search.dto';
import { FhirDevicesService } from './fhir-devices.service';
import { FhirErrorFilter } from './fhir-error.filter';
import { FHIR_JSON } from './fhir-media-type';
import { FhirRequestUrls, FhirUrls } from './fhir-urls.decorator';

const FHIR_CONTENT_TYPE = `${FHIR_JSON}; charset=utf-8`;

@ApiTags('fhir')
@ApiBearerAuth()
@ApiProduces(FHIR_JSON)
@UseFilters(FhirErrorFilter)
@Controller('fhir/Device')
export class FhirDevicesController {
  constructor(private readonly fhir: FhirDevicesService) {}

  @Get()
  @Roles('admin', 'biomed', 'it')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiOperation({
    summary: 'FHIR R4 Device search: a searchset Bundle with total and a next link',
    description: 'Errors are an OperationOutcome when the request sends `Accept: application/fhir+json`, else the usual JSON error.',
  })
  @ApiOkResponse({ description: 'FHIR R4 Bundle (type searchset) of Device resources', schema: FHIR_SEARCHSET_SCHEMA })
  search(@CurrentPrincipal() viewer: Principal, @Query() query: FhirDeviceSearchDto, @FhirRequestUrls() urls: FhirUrls): Promise<Bundle<Device>> {
    return this.fhir.search(viewer, query, urls);
  }

  @Get(':id')
  @Roles('admin', 'biomed', 'it')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'FHIR R4 Device read: one device as a Device resource' })
  @ApiOkResponse({ description: 'FHIR R4 Device resource', schema: FHIR_DEVICE_SCHEMA })
  @ApiNotFoundResponse({ description: 'No device with that id' })
  read(@CurrentPrincipal() viewer: Principal, @Param('id') id: string): Promise<Device> {
    return this.fhir.read(viewer, id);
  }
}
