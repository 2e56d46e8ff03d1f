import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { Step } from './work-order-plan';
import { WorkOrdersRepository } from './work-orders.repository';

@Injectable()
export class WorkOrdersMetrics {
  readonly overdue: Gauge<string>;
  readonly changes: Counter<'change'>;
  readonly failures: Counter<string>;
  /** The last count read: while the database cannot be read, the scrape still answers with it. */
  private lastOverdue = 0;

  constructor(registry: Registry, repository: WorkOrdersRepository) {
    const registers = [registry];
    const read = async () => (this.lastOverdue = await repository.overdueCount().catch(() => this.lastOverdue));
    this.overdue = new Gauge({
      name: 'iomt_work_orders_overdue',
      help: 'Active work orders (open, scheduled, in progress, verifying) past their due date',
      registers,
      async collect() {
        this.set(await read());
      },
    });
    this.changes = new Counter({
      name: 'iomt_work_orders_changes_total',
      help: 'Work-order changes made by the remediation loop, by change (created, joined, verified, reopened)',
      labelNames: ['change'],
      registers,
    });
    this.failures = new Counter({
      name: 'iomt_work_orders_planning_failures_total',
      help: 'Work-order plannings after a findings change that failed (the next change of the device plans it again)',
      registers,
    });
  }

  countSteps(steps: Step[]): void {
    const names = { create: 'created', join: 'joined', done: 'verified', reopen: 'reopened' } as const;
    for (const s of steps) this.changes.inc({ change: names[s.kind] });
  }
}
