import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { HeartbeatRepository } from './heartbeat.repository';
import { CONNECTIVITY_CHANGED, ConnectivityChangedEvent } from './ingest.events';
import { IngestMetrics } from './ingest.metrics';

/**
 * Marks devices offline once they have been silent for HEARTBEAT_OFFLINE_AFTER_S. Every
 * replica may run it: the update is idempotent and counts only rows it changed.
 */
@Injectable()
export class ConnectivitySweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ConnectivitySweeper.name);
  private readonly task = new PeriodicTask({
    run: () => this.sweep(),
    // A tenth of the threshold keeps "offline" at most 10% late, and no busier than every second.
    nextDelayMs: () => Math.max(1_000, Math.min(30_000, (this.config.HEARTBEAT_OFFLINE_AFTER_S * 1000) / 10)),
    logger: this.logger,
    failureMessage: 'connectivity sweep failed; will retry',
  });
  private inFlight: Promise<number> | null = null;

  constructor(
    private readonly repository: HeartbeatRepository,
    private readonly metrics: IngestMetrics,
    private readonly config: AppConfig,
    private readonly events: EventEmitter2,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  /** Waits for a pass in progress, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /**
   * One pass at a time: at a million devices a pass can outlast the interval (the first after a
   * long silence locks hundreds of thousands of rows), and the next ones would only wait on its
   * row locks, each holding a pool connection (after the million bench's seed the API's
   * requests timed out waiting for one). A call during a pass joins it.
   */
  sweep(): Promise<number> {
    this.inFlight ??= this.pass().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async pass(): Promise<number> {
    try {
      const ids = await this.repository.markSilentDevicesOffline(this.config.HEARTBEAT_OFFLINE_AFTER_S);
      if (!ids.length) return 0;
      this.metrics.connectivity.inc({ to: 'offline' }, ids.length);
      // The statement has committed: the consoles may reload what they show.
      const event: ConnectivityChangedEvent = { deviceIds: ids, connectivity: 'offline' };
      this.events.emit(CONNECTIVITY_CHANGED, event);
      return ids.length;
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'connectivity sweep failed; will retry');
      return 0;
    }
  }
}
