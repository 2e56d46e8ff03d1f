import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { RemediationDue } from './remediation-durations';

export interface RemediationPolicyRecord {
  due: RemediationDue;
  updatedBy: string | null;
  updatedAt: Date;
}

/** The one remediation policy row (id 1, seeded by its migration). auto_work_order_decisions belongs to work orders: not read or written here. */
@Injectable()
export class RemediationPolicyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async read(m?: EntityManager, o: { forUpdate?: boolean } = {}): Promise<RemediationPolicyRecord> {
    const rows: Array<{ due: RemediationDue; updated_by: string | null; updated_at: Date }> = await (m ?? this.dataSource.manager).query(
      `SELECT due, updated_by, updated_at FROM remediation_policy WHERE id = 1${o.forUpdate ? ' FOR UPDATE' : ''}`,
    );
    return { due: rows[0].due, updatedBy: rows[0].updated_by, updatedAt: rows[0].updated_at };
  }

  async writeDue(m: EntityManager, due: RemediationDue, updatedBy: string): Promise<void> {
    await m.query(`UPDATE remediation_policy SET due = $1::jsonb, updated_by = $2, updated_at = now() WHERE id = 1`, [JSON.stringify(due), updatedBy]);
  }
}
