import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { DevicesService } from './devices.service';
import { CreateDeviceDto, DevicePageDto, DeviceResponseDto, toDeviceResponse, UpdateDeviceDto } from './dto/device.dto';
import { DeviceQueryDto } from './dto/device-query.dto';
import { FirmwareChangeDto, toFirmwareChange } from './dto/firmware-history.dto';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('devices')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post()
  @Roles('admin', 'biomed')
  @ApiOperation({ summary: 'Register a device; a UDI is parsed and checked against the model and serial' })
  @ApiCreatedResponse({ type: DeviceResponseDto })
  @ApiDuplicateResponse('A device of this model has this serial number, or another device has this asset tag')
  async register(@CurrentPrincipal() actor: Principal, @Body() dto: CreateDeviceDto): Promise<DeviceResponseDto> {
    return toDeviceResponse(await this.devices.register(actor, dto));
  }

  @Get()
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({ summary: 'List devices: filters, sorting and cursor paging (decommissioned devices only when asked for)' })
  @ApiOkResponse({ type: DevicePageDto })
  async list(@CurrentPrincipal() viewer: Principal, @Query() query: DeviceQueryDto): Promise<DevicePageDto> {
    const page = await this.devices.list(viewer, query);
    return { items: page.items.map(toDeviceResponse), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({ summary: 'One device' })
  @ApiOkResponse({ type: DeviceResponseDto })
  async get(@CurrentPrincipal() viewer: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceResponseDto> {
    return toDeviceResponse(await this.devices.read(viewer, id));
  }

  @Patch(':id')
  @Roles('admin', 'biomed')
  @ApiOperation({ summary: 'Update a device (firmware edits are kept in its firmware history)' })
  @ApiOkResponse({ type: DeviceResponseDto })
  @ApiDuplicateResponse('Another device of this model has this serial number, or another device has this asset tag')
  async update(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDeviceDto): Promise<DeviceResponseDto> {
    return toDeviceResponse(await this.devices.update(actor, id, dto));
  }

  @Delete(':id')
  @Roles('admin', 'biomed')
  @ApiOperation({ summary: 'Decommission a device: it leaves active views and reports; its history stays' })
  @ApiOkResponse({ type: DeviceResponseDto })
  async decommission(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceResponseDto> {
    return toDeviceResponse(await this.devices.decommission(actor, id));
  }

  @Get(':id/firmware-history')
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({ summary: 'Every firmware change of a device, oldest first, with its source' })
  @ApiOkResponse({ type: [FirmwareChangeDto] })
  async history(@Param('id', ParseUUIDPipe) id: string): Promise<FirmwareChangeDto[]> {
    return (await this.devices.firmwareHistory(id)).map(toFirmwareChange);
  }
}
