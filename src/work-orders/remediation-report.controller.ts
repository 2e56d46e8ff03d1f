import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { RemediationReportDto, RemediationReportQueryDto } from './dto/remediation-report.dto';
import { RemediationReportService } from './remediation-report.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports/remediation')
@Roles('admin', 'it', 'biomed')
export class RemediationReportController {
  constructor(private readonly report: RemediationReportService) {}

  @Get()
  @ApiOperation({
    summary:
      'Remediation service levels per decision and per department: open, overdue, done in the period, median and p90 time to a verified fix, share verified by the due date (CSV with Accept: text/csv)',
  })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: RemediationReportDto })
  async get(
    @Query() query: RemediationReportQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RemediationReportDto | string> {
    if (accept?.includes('text/csv')) {
      res.type('text/csv').attachment('remediation.csv');
      return this.report.csv(query);
    }
    return this.report.report(query);
  }
}
