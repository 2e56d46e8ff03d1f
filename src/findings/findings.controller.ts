import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { DevicesService } from '../inventory/devices.service';
import { FindingDto, FindingPageDto, toFinding } from './dto/finding-response.dto';
import { FirmwareStatusDto } from './dto/firmware-status.dto';
import { FindingsQueryDto } from './dto/report-query.dto';
import { FirmwareStatusService } from './firmware-status.service';
import { ReportsRepository } from './reports.repository';

@ApiTags('findings')
@ApiBearerAuth()
@Controller()
@Roles('admin', 'it', 'biomed')
export class FindingsController {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly devices: DevicesService,
    private readonly firmwareStatus: FirmwareStatusService,
  ) {}

  @Get('devices/:id/firmware-status')
  @ApiOperation({ summary: 'How many firmware releases a device is behind, and what fixes its open findings' })
  @ApiOkResponse({ type: FirmwareStatusDto })
  status(@Param('id', ParseUUIDPipe) id: string): Promise<FirmwareStatusDto> {
    return this.firmwareStatus.of(id);
  }

  @Get('devices/:id/findings')
  @ApiOperation({ summary: 'Findings of one device, open and resolved, newest first' })
  @ApiOkResponse({ type: [FindingDto] })
  async forDevice(@Param('id', ParseUUIDPipe) id: string): Promise<FindingDto[]> {
    await this.devices.get(id);
    return (await this.reports.findings({ deviceId: id, limit: 1000 })).map(toFinding);
  }

  @Get('findings')
  @ApiOperation({ summary: 'All findings with filters, newest first' })
  @ApiOkResponse({ type: FindingPageDto })
  async list(@Query() query: FindingsQueryDto): Promise<FindingPageDto> {
    const limit = query.limit ?? 100;
    const rows = await this.reports.findings({ ...query, limit });
    return { items: rows.map(toFinding), nextCursor: rows.length === limit ? rows[rows.length - 1].id : null };
  }
}
