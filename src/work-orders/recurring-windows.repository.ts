import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RecurringWindow } from './recurring-window';

export interface RecurringWindowRow extends RecurringWindow {
  department: string;
  updatedBy: string;
  updatedAt: Date;
}

const COLUMNS = `department, rrule, duration, time_zone AS "timeZone", updated_by AS "updatedBy", updated_at AS "updatedAt"`;

@Injectable()
export class RecurringWindowsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  all(): Promise<RecurringWindowRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM recurring_maintenance_windows ORDER BY department`);
  }

  async forDepartments(departments: string[]): Promise<Map<string, RecurringWindowRow>> {
    if (!departments.length) return new Map();
    const rows: RecurringWindowRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM recurring_maintenance_windows WHERE department = ANY($1::text[])`, [
      departments,
    ]);
    return new Map(rows.map((r) => [r.department, r]));
  }

  async upsert(m: EntityManager, department: string, w: RecurringWindow, by: string): Promise<RecurringWindowRow | null> {
    const [before]: RecurringWindowRow[] = await m.query(`SELECT ${COLUMNS} FROM recurring_maintenance_windows WHERE department = $1 FOR UPDATE`, [department]);
    await m.query(
      `INSERT INTO recurring_maintenance_windows (department, rrule, duration, time_zone, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (department) DO UPDATE SET rrule = $2, duration = $3, time_zone = $4, updated_by = $5, updated_at = now()`,
      [department, w.rrule, w.duration, w.timeZone, by],
    );
    return before ?? null;
  }
}
