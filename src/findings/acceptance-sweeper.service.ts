import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { FindingAcceptancesRepository } from './finding-acceptances.repository';
import { FindingsRepository } from './findings.repository';

/**
 * Brings back, by themselves, the findings whose risk acceptance has expired: every
 * ACCEPTANCE_SWEEP_INTERVAL_S it clears their accepted_until and refreshes their devices'
 * summaries. The reports call sweepIfDue before reading, so they are right between sweeps too.
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

  /** Returns the devices whose findings came back. */
  async sweep(): Promise<string[]> {
    const devices = await this.findings.locked(async (m) => {
      const expired = await this.acceptances.clearExpired(m);
      await this.findings.refreshSummaries(m, expired);
      return expired;
    });
    if (devices.length) this.logger.log({ devices: devices.length }, 'risk acceptances expired; their findings are back on the report');
    return devices;
  }
}
