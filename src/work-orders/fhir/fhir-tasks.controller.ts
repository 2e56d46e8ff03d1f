import { Controller, Get, Header, Param, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Bundle, Task } from '@medplum/fhirtypes';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { Principal } from '../../auth/role';
import { Roles } from '../../auth/roles.decorator';
import { FhirErrorFilter } from '../../inventory/fhir/fhir-error.filter';
import { FHIR_JSON } from '../../inventory/fhir/fhir-media-type';
import { FhirRequestUrls, FhirUrls } from '../../inventory/fhir/fhir-urls.decorator';
import { FhirTaskSearchDto } from './fhir-task-search.dto';
import { FhirTasksService } from './fhir-tasks.service';
import { FHIR_TASK_SCHEMA, FHIR_TASK_SEARCHSET_SCHEMA } from './fhir-task.schema';

const FHIR_CONTENT_TYPE = `${FHIR_JSON}; charset=utf-8`;

@ApiTags('fhir')
@ApiBearerAuth()
@ApiProduces(FHIR_JSON)
@UseFilters(FhirErrorFilter)
@Controller('fhir/Task')
@Roles('admin', 'biomed', 'it')
export class FhirTasksController {
  constructor(private readonly tasks: FhirTasksService) {}

  @Get()
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'FHIR R4 Task search: the work orders as a searchset Bundle with a next link, newest first' })
  @ApiOkResponse({ description: 'FHIR R4 Bundle (type searchset) of Task resources', schema: FHIR_TASK_SEARCHSET_SCHEMA })
  search(@CurrentPrincipal() viewer: Principal, @Query() query: FhirTaskSearchDto, @FhirRequestUrls() urls: FhirUrls): Promise<Bundle<Task>> {
    return this.tasks.search(viewer, query, urls);
  }

  @Get(':id')
  @Header('Content-Type', FHIR_CONTENT_TYPE)
  @ApiOperation({ summary: 'FHIR R4 Task read: one work order as a Task resource' })
  @ApiOkResponse({ description: 'FHIR R4 Task resource', schema: FHIR_TASK_SCHEMA })
  @ApiNotFoundResponse({ description: 'No work order with that id' })
  read(@CurrentPrincipal() viewer: Principal, @Param('id') id: string): Promise<Task> {
    return this.tasks.read(viewer, id);
  }
}
