import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Decision } from './decision';
import { ACTIVE_STATUSES } from './work-order-status';

export interface RemediationFiguresRow {
  /** 'decision', 'department' or 'total': which grouping the row belongs to. */
  grouping: 'decision' | 'department' | 'total';
  decision: Decision | null;
  department: string | null;
  open: number;
  overdue: number;
  done: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  withinDue: number;
  withDue: number;
}

const ACTIVE_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

@Injectable()
export class RemediationReportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One pass over the orders, grouped three ways (GROUPING SETS): by decision, by department, and all. */
  figures(from: Date, to: Date): Promise<RemediationFiguresRow[]> {
    return this.dataSource.query(
      `WITH o AS (
         SELECT wo.decision, d.department, wo.status IN ${ACTIVE_SQL} AS active, wo.due_at, wo.detected_at, wo.done_at,
                wo.status = 'done' AND wo.done_at >= $1 AND wo.done_at < $2 AS done
           FROM work_orders wo JOIN devices d ON d.id = wo.device_id)
       SELECT CASE WHEN GROUPING(decision) = 0 THEN 'decision' WHEN GROUPING(department) = 0 THEN 'department' ELSE 'total' END AS grouping,
              decision, department,
              count(*) FILTER (WHERE active)::int AS open,
              count(*) FILTER (WHERE active AND due_at < now())::int AS overdue,
              count(*) FILTER (WHERE done)::int AS done,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM done_at - detected_at)) FILTER (WHERE done) AS "medianSeconds",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM done_at - detected_at)) FILTER (WHERE done) AS "p90Seconds",
              count(*) FILTER (WHERE done AND due_at IS NOT NULL AND done_at <= due_at)::int AS "withinDue",
              count(*) FILTER (WHERE done AND due_at IS NOT NULL)::int AS "withDue"
         FROM o
        GROUP BY GROUPING SETS ((decision), (department), ())
        ORDER BY grouping, decision, department NULLS LAST`,
      [from.toISOString(), to.toISOString()],
    );
  }
}
