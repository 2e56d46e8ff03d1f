import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AuditService } from '../audit/audit.service';
import { pruneSteps, RetainedTable, RetentionDays } from './retention-policy';
import { RetentionMetrics } from './retention.metrics';
import { RetentionRepository } from './retention.repository';
import { PeriodicTask } from '../common/periodic-task';

/** The first pass waits this long after boot, so a start is not slowed by it. */
const FIRST_PASS_DELAY_MS = 60_000;

/**
 * Prunes the tables that grow with time by their configured age (docs/scale.md, "Retention").
 * Every replica may run it: each pass deletes in small chunks and a second replica finds the
 * rows gone. A table that fails is counted and logged, and the next pass catches up.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly task = new PeriodicTask({
    run: () => this.runOnce(),
    nextDelayMs: () => this.config.RETENTION_INTERVAL_S * 1000,
    logger: this.logger,
    failureMessage: 'retention pass failed; it runs again at the next interval',
  });

  constructor(
    private readonly config: AppConfig,
    private readonly repository: RetentionRepository,
    private readonly audit: AuditService,
    private readonly metrics: RetentionMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(FIRST_PASS_DELAY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass over every table; returns the rows removed per table (a failed table is left out). */
  async runOnce(now = new Date()): Promise<Partial<Record<RetainedTable, number>>> {
    const removed: Partial<Record<RetainedTable, number>> = {};
    for (const step of pruneSteps(this.days(), now)) {
      try {
        const n = await this.prune(step.table, step.cutoff);
        removed[step.table] = n;
        if (n) {
          this.metrics.pruned.inc({ table: step.table }, n);
          this.logger.log({ table: step.table, rows: n, cutoff: step.cutoff.toISOString() }, 'pruned rows past their retention');
        }
      } catch (e) {
        this.metrics.failures.inc({ table: step.table });
        this.logger.warn({ table: step.table, err: (e as Error).message }, 'pruning failed; retried in the next pass');
      }
    }
    return removed;
  }

  private async prune(table: RetainedTable, cutoff: Date): Promise<number> {
    switch (table) {
      case 'firmware_history':
        return this.repository.pruneFirmwareHistory(cutoff);
      case 'unknown_devices':
        return this.repository.pruneSightings(cutoff);
      case 'security_events':
        return this.repository.pruneSecurityEvents(cutoff);
      case 'work_orders':
        return this.repository.pruneClosedWorkOrders(cutoff);
      case 'audit_log':
        return (await this.audit.pruneBefore(cutoff))?.prunedEntries ?? 0;
    }
  }

  private days(): RetentionDays {
    const c = this.config;
    return {
      firmware_history: c.RETENTION_FIRMWARE_HISTORY_DAYS,
      audit_log: c.RETENTION_AUDIT_LOG_DAYS,
      unknown_devices: c.RETENTION_SIGHTINGS_DAYS,
      security_events: c.RETENTION_SECURITY_EVENTS_DAYS,
      work_orders: c.RETENTION_WORK_ORDERS_DAYS,
    };
  }
}
