import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { RETAINED_TABLES } from './retention-policy';

@Injectable()
export class RetentionMetrics {
  readonly pruned: Counter<'table'>;
  readonly failures: Counter<'table'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.pruned = new Counter({
      name: 'iomt_retention_pruned_rows_total',
      help: 'Rows removed by the retention job, by table',
      labelNames: ['table'],
      registers,
    });
    this.failures = new Counter({
      name: 'iomt_retention_failures_total',
      help: 'Retention passes of a table that failed (see the logs); the table grows until one succeeds',
      labelNames: ['table'],
      registers,
    });
    for (const table of RETAINED_TABLES) {
      this.pruned.inc({ table }, 0);
      this.failures.inc({ table }, 0);
    }
  }
}
