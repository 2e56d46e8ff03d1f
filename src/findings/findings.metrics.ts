import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { QueueStats } from './findings-queue.repository';

@Injectable()
export class FindingsMetrics {
  readonly queueDepth: Gauge<string>;
  readonly queueOldestSeconds: Gauge<string>;
  readonly recomputed: Counter<'kind'>;
  readonly failures: Counter<string>;
  readonly driftRepaired: Counter<string>;
  readonly devicesReconciled: Counter<string>;
  /** The oldest entry as last read: its age keeps growing while the database cannot be read. */
  private oldest: Date | null = null;

  constructor(registry: Registry) {
    const registers = [registry];
    this.queueDepth = new Gauge({
      name: 'iomt_findings_recompute_queue_depth',
      help: 'Findings recomputes owed by committed changes and not done yet',
      registers,
    });
    this.queueOldestSeconds = new Gauge({
      name: 'iomt_findings_recompute_queue_oldest_seconds',
      help: 'Age of the oldest owed findings recompute (0 when none is owed)',
      registers,
      collect: () => this.queueOldestSeconds.set(this.oldest ? Math.max(0, (Date.now() - this.oldest.getTime()) / 1000) : 0),
    });
    this.recomputed = new Counter({
      name: 'iomt_findings_recomputed_total',
      help: 'Owed findings recomputes done, by target kind',
      labelNames: ['kind'],
      registers,
    });
    this.failures = new Counter({
      name: 'iomt_findings_recompute_failures_total',
      help: 'Findings recompute attempts that failed; the owed work stays queued and is retried',
      registers,
    });
    this.driftRepaired = new Counter({
      name: 'iomt_findings_drift_repaired_total',
      help: 'Devices whose findings the reconciliation found differing from the finding rule and repaired',
      registers,
    });
    this.devicesReconciled = new Counter({
      name: 'iomt_findings_reconciled_devices_total',
      help: 'Devices whose findings the reconciliation compared with the finding rule',
      registers,
    });
    for (const kind of ['device', 'advisory']) this.recomputed.inc({ kind }, 0);
  }

  observeQueue(stats: QueueStats): void {
    this.queueDepth.set(stats.depth);
    this.oldest = stats.oldestEnqueuedAt;
  }
}
