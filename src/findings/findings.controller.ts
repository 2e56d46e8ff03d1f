import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { FindingDto, FindingPageDto } from './dto/finding-response.dto';
import { FirmwareStatusDto } from './dto/firmware-status.dto';
import { FindingsQueryDto } from './dto/report-query.dto';
import { FindingsService } from './findings.service';
import { FirmwareStatusService } from './firmware-status.service';

@ApiTags('findings')
@ApiBearerAuth()
@Controller()
@Roles('admin', 'it', 'biomed')
export class FindingsController {
  constructor(
    private readonly findings: FindingsService,
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
    return this.findings.forDevice(id);
  }

  @Get('findings')
  @ApiOperation({ summary: 'All findings with filters, newest first' })
  @ApiOkResponse({ type: FindingPageDto })
  async list(@Query() query: FindingsQueryDto): Promise<FindingPageDto> {
    return this.findings.page(query);
  }
}
