import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { FindingPrioritiesRepository } from './finding-priorities.repository';
import { FindingPriorities } from './finding-priorities.service';

/** Advisories recomputed per statement: bounded, so one pass never holds the findings lock long. */
const ADVISORIES_PER_STEP = 20;

/**
 * Gives a decision to every open finding that has none: those opened before prioritisation
 * existed (an upgraded database has them all at first), and any whose recompute failed. Runs in
 * the background right after boot, then every FINDINGS_RECONCILE_INTERVAL_S, beside the findings
 * reconciler; boot never waits for it.
 */
@Injectable()
export class UndecidedFindings implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(UndecidedFindings.name);
  private readonly task = new PeriodicTask({
    run: () => this.pass(),
    nextDelayMs: () => this.config.FINDINGS_RECONCILE_INTERVAL_S * 1000,
    logger: this.logger,
    failureMessage: 'deciding undecided findings failed; it runs again at the next interval',
  });

  constructor(
    private readonly repository: FindingPrioritiesRepository,
    private readonly priorities: FindingPriorities,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** Decides every open finding without a decision; returns how many advisories it recomputed. */
  async pass(): Promise<number> {
    let done = 0;
    const seen = new Set<string>();
    while (!this.task.isStopped) {
      // An advisory still undecided after its recompute (a finding opened meanwhile) is left for the next pass.
      const advisoryIds = (await this.repository.advisoriesWithUndecidedFindings(ADVISORIES_PER_STEP + seen.size)).filter((id) => !seen.has(id));
      if (!advisoryIds.length) break;
      const step = advisoryIds.slice(0, ADVISORIES_PER_STEP);
      await this.priorities.recompute({ scope: 'advisories', advisoryIds: step });
      step.forEach((id) => seen.add(id));
      done += step.length;
    }
    if (done) this.logger.log({ advisories: done }, 'open findings without a decision decided');
    return done;
  }
}
