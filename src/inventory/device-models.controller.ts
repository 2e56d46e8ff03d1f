import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { DeviceModelsService } from './device-models.service';
import { CreateDeviceModelDto, DeviceModelQueryDto, DeviceModelResponseDto, toDeviceModelResponse, UpdateDeviceModelDto } from './dto/device-model.dto';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('models')
export class DeviceModelsController {
  constructor(private readonly models: DeviceModelsService) {}

  @Post()
  @Roles('admin', 'biomed', 'manufacturer')
  @ApiOperation({ summary: 'Register a device model (a manufacturer key: only for itself)' })
  @ApiCreatedResponse({ type: DeviceModelResponseDto })
  @ApiDuplicateResponse('This manufacturer already has a model with this model number or GTIN')
  async create(@CurrentPrincipal() actor: Principal, @Body() dto: CreateDeviceModelDto): Promise<DeviceModelResponseDto> {
    return toDeviceModelResponse(await this.models.create(actor, dto));
  }

  @Get()
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'List device models with filters' })
  @ApiOkResponse({ type: [DeviceModelResponseDto] })
  async list(@CurrentPrincipal() actor: Principal, @Query() query: DeviceModelQueryDto): Promise<DeviceModelResponseDto[]> {
    return (await this.models.search(actor, query)).map(toDeviceModelResponse);
  }

  @Get(':id')
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'One device model' })
  @ApiOkResponse({ type: DeviceModelResponseDto })
  async get(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceModelResponseDto> {
    return toDeviceModelResponse(await this.models.get(actor, id));
  }

  @Patch(':id')
  @Roles('admin', 'biomed', 'manufacturer')
  @ApiOperation({ summary: 'Update a device model (a manufacturer key: only its own)' })
  @ApiOkResponse({ type: DeviceModelResponseDto })
  @ApiDuplicateResponse('This manufacturer already has another model with this model number or GTIN')
  async update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateDeviceModelDto,
  ): Promise<DeviceModelResponseDto> {
    return toDeviceModelResponse(await this.models.update(actor, id, dto));
  }
}
