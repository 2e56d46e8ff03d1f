import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { CreateFirmwareReleaseDto, FirmwareReleaseDto } from './dto/firmware-release.dto';
import { FirmwareReleasesService } from './firmware-releases.service';

@ApiTags('advisories')
@ApiBearerAuth()
@Controller('models/:id/firmware-releases')
export class FirmwareReleasesController {
  constructor(private readonly releases: FirmwareReleasesService) {}

  @Post()
  @Roles('admin', 'manufacturer')
  @ApiOperation({ summary: 'Publish a firmware release of a model (a manufacturer key: its own models)' })
  @ApiCreatedResponse({ type: FirmwareReleaseDto })
  @ApiDuplicateResponse('This model already has a release of this version')
  create(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateFirmwareReleaseDto): Promise<FirmwareReleaseDto> {
    return this.releases.create(actor, id, dto);
  }

  @Get()
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'Firmware releases of a model' })
  @ApiOkResponse({ type: [FirmwareReleaseDto] })
  list(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<FirmwareReleaseDto[]> {
    return this.releases.list(actor, id);
  }
}
