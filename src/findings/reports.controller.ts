import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { ExposureUnknownDto } from './dto/exposure-unknown.dto';
import { ExposureHistoryQueryDto, ExposureUnknownQueryDto, OutdatedReportQueryDto } from './dto/report-query.dto';
import { OutdatedReportDto } from './dto/report-response.dto';
import { ExposureHistoryDto, ReportSummaryDto } from './dto/report-summary.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
@Roles('admin', 'it', 'biomed')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('outdated-firmware')
  @ApiOperation({ summary: 'Every active device with an open finding: its firmware, the advisories, the minimum safe version (CSV with Accept: text/csv)' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: OutdatedReportDto })
  async outdated(
    @Query() query: OutdatedReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OutdatedReportDto | string> {
    if (accept?.includes('text/csv')) {
      res.type('text/csv').attachment('outdated-firmware.csv');
      return this.reports.outdatedFirmwareCsv(query);
    }
    return this.reports.outdatedFirmware(query);
  }

  @Get('exposure-unknown')
  @ApiOperation({ summary: 'Devices on an affected model whose exposure cannot be decided: no firmware known, or a version not comparable with the range' })
  @ApiOkResponse({ type: [ExposureUnknownDto] })
  exposureUnknown(@Query() query: ExposureUnknownQueryDto) {
    return this.reports.exposureUnknown(query);
  }

  @Get('exposure-history')
  @ApiOperation({ summary: 'Active devices with an open finding at the end of each UTC day, from findings detected and resolved times' })
  @ApiOkResponse({ type: ExposureHistoryDto })
  exposureHistory(@Query() query: ExposureHistoryQueryDto): Promise<ExposureHistoryDto> {
    return this.reports.exposureHistory(query.days ?? 90);
  }

  @Get('summary')
  @ApiOperation({ summary: 'Exposed devices by decision, severity, manufacturer, department and model' })
  @ApiOkResponse({ type: ReportSummaryDto })
  summary(): Promise<ReportSummaryDto> {
    return this.reports.summary();
  }
}
