import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { evaluateExposure } from './exposure-rules';
import { FindingsDriftRepository } from './findings-drift.repository';
import { FindingsQueueRepository } from './findings-queue.repository';
import { FindingsEngine } from './findings.engine';
import { FindingsMetrics } from './findings.metrics';
import { FindingsRepository } from './findings.repository';
import { PeriodicTask } from '../common/periodic-task';

/** Devices compared per snapshot: one page of devices, their models' lines, one comparison statement. */
const PAGE = 2_000;

/**
 * Every FINDINGS_RECONCILE_INTERVAL_S, walks every device and compares its findings,
 * exposure-unknown rows and report summary with what the finding rule says now; devices that
 * differ are queued and recomputed, and counted. The queue makes faults harmless; this catches
 * what nothing queued: a bug, a restored backup, a hand edit of the findings.
 */
@Injectable()
export class FindingsReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FindingsReconciler.name);
  private readonly task = new PeriodicTask({
    run: () => this.pass(),
    nextDelayMs: () => this.config.FINDINGS_RECONCILE_INTERVAL_S * 1000,
    logger: this.logger,
    failureMessage: 'findings reconciliation failed; it runs again at the next interval',
  });

  constructor(
    private readonly drift: FindingsDriftRepository,
    private readonly findings: FindingsRepository,
    private readonly queue: FindingsQueueRepository,
    private readonly engine: FindingsEngine,
    private readonly metrics: FindingsMetrics,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass over every device; returns how many devices were repaired. */
  async pass(): Promise<number> {
    let after: string | null = null;
    let repaired = 0;
    while (!this.task.isStopped) {
      const page = await this.drift.snapshot(async (m) => {
        const devices = await this.drift.devicesAfter(m, after, PAGE);
        const checked = devices.filter((d) => !d.owed);
        const live = checked.filter((d) => !d.decommissioned);
        const lines = await this.findings.linesForModels(m, [...new Set(live.map((d) => d.modelId))]);
        const drifted = await this.drift.drifted(
          m,
          checked.map((d) => d.id),
          evaluateExposure(live, lines),
        );
        return { last: devices.at(-1)?.id ?? null, full: devices.length === PAGE, checked: checked.length, drifted };
      });
      this.metrics.devicesReconciled.inc(page.checked);
      if (page.drifted.length) {
        await this.queue.enqueueDevices(page.drifted, 'reconcile');
        await this.engine.recomputeDevices(page.drifted);
        this.metrics.driftRepaired.inc(page.drifted.length);
        repaired += page.drifted.length;
        this.logger.warn({ devices: page.drifted.length }, 'findings differed from the finding rule; recomputed');
      }
      if (!page.full) break;
      after = page.last;
    }
    return repaired;
  }
}
