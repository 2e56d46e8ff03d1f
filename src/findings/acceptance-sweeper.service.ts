import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { FindingAcceptancesRepository } from './finding-acceptances.repository';
import { FINDINGS_CHANGED, FindingsChangedEvent } from './findings.events';
import { FindingsRepository } from './findings.repository';

/**
 * The one writer of an acceptance's expiry. When an acceptance hides a finding is decided by
 * acceptedNowSql (priority-summary.sql.ts), which every reader of findings applies on the
 * database's clock; what goes stale at expiry is only the stored per-device summaries, and sweep()
 * is what rewrites them (and clears accepted_until). Two triggers, one sweep: readers of the
 * stored summaries call sweepIfDue first (so a report asked a millisecond after an expiry is
 * right), and a timer every ACCEPTANCE_SWEEP_INTERVAL_S for everything nobody asks for.
 */
@Injectable()
export class AcceptanceSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AcceptanceSweeper.name);
  private readonly task = new PeriodicTask({
    run: () => this.sweep(),
    nextDelayMs: () => this.config.ACCEPTANCE_SWEEP_INTERVAL_S * 1000,
    logger: this.logger,
    failureMessage: 'acceptance sweep failed; it runs again at the next interval',
  });

  constructor(
    private readonly acceptances: FindingAcceptancesRepository,
    private readonly findings: FindingsRepository,
    private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One index probe; a sweep only when an acceptance has run out since the last one. */
  async sweepIfDue(): Promise<void> {
    if (await this.isDue()) await this.sweep();
  }

  /** Whether an acceptance has run out since the last sweep (its finding's summary is stale). */
  isDue(): Promise<boolean> {
    return this.acceptances.anyExpired();
  }

  /** Returns the devices whose findings came back, announced after the commit as a revocation is. */
  async sweep(): Promise<string[]> {
    const devices = await this.findings.locked(async (m) => {
      const expired = await this.acceptances.clearExpired(m);
      await this.findings.refreshSummaries(m, expired);
      return expired;
    });
    if (devices.length) {
      this.logger.log({ devices: devices.length }, 'risk acceptances expired; their findings are back on the report');
      const event: FindingsChangedEvent = { deviceIds: devices, opened: 0, resolved: 0 };
      this.events.emit(FINDINGS_CHANGED, event);
    }
    return devices;
  }
}
