import { Injectable } from '@nestjs/common';
import { toSafeCsv } from '../common/csv-safe';
import { InvalidInputError } from '../common/domain-errors';
import { DECISIONS } from './decision';
import { RemediationFiguresDto, RemediationReportDto, RemediationReportQueryDto } from './dto/remediation-report.dto';
import { RemediationFiguresRow, RemediationReportRepository } from './remediation-report.repository';

const DEFAULT_PERIOD_MS = 30 * 86_400_000;
const EMPTY: RemediationFiguresDto = { open: 0, overdue: 0, doneInPeriod: 0, medianHoursToFix: null, p90HoursToFix: null, verifiedWithinDueShare: null };

/** The service levels of remediation: what is open and overdue now, and how fast and how punctually fixes were proved in a period. */
@Injectable()
export class RemediationReportService {
  constructor(private readonly repository: RemediationReportRepository) {}

  async report(q: RemediationReportQueryDto): Promise<RemediationReportDto> {
    const generatedAt = new Date();
    const to = q.to ? new Date(q.to) : generatedAt;
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_PERIOD_MS);
    if (from >= to) throw new InvalidInputError('from: must be before to');
    const rows = await this.repository.figures(from, to);
    const decisions = new Map(rows.filter((r) => r.grouping === 'decision').map((r) => [r.decision, figures(r)]));
    const total = rows.find((r) => r.grouping === 'total');
    return {
      from,
      to,
      generatedAt,
      total: total ? figures(total) : EMPTY,
      // Every decision, with zeros where no order has it: the board compares like with like.
      byDecision: [...DECISIONS].reverse().map((decision) => ({ decision, ...(decisions.get(decision) ?? EMPTY) })),
      byDepartment: rows.filter((r) => r.grouping === 'department').map((r) => ({ department: r.department, ...figures(r) })),
    };
  }

  async csv(q: RemediationReportQueryDto): Promise<string> {
    const r = await this.report(q);
    const line = (grouping: string, group: string, f: RemediationFiguresDto) => [
      grouping,
      group,
      r.from.toISOString(),
      r.to.toISOString(),
      f.open,
      f.overdue,
      f.doneInPeriod,
      f.medianHoursToFix ?? '',
      f.p90HoursToFix ?? '',
      f.verifiedWithinDueShare ?? '',
    ];
    return toSafeCsv([
      ['grouping', 'group', 'from', 'to', 'open', 'overdue', 'doneInPeriod', 'medianHoursToFix', 'p90HoursToFix', 'verifiedWithinDueShare'],
      line('total', '', r.total),
      ...r.byDecision.map((d) => line('decision', d.decision, d)),
      ...r.byDepartment.map((d) => line('department', d.department ?? '', d)),
    ]);
  }
}

const hours = (seconds: number | null) => (seconds === null ? null : Math.round((Number(seconds) / 3600) * 100) / 100);

function figures(r: RemediationFiguresRow): RemediationFiguresDto {
  return {
    open: r.open,
    overdue: r.overdue,
    doneInPeriod: r.done,
    medianHoursToFix: hours(r.medianSeconds),
    p90HoursToFix: hours(r.p90Seconds),
    verifiedWithinDueShare: r.withDue ? Math.round((r.withinDue / r.withDue) * 10_000) / 10_000 : null,
  };
}
