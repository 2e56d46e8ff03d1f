import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { FindingsQueueRepository } from './findings-queue.repository';
import { FindingsEngine } from './findings.engine';
import { FindingsMetrics } from './findings.metrics';

const POLL_MS = 1_000;
/** After failures in a row, wait up to this long before the next look at the queue. */
const MAX_IDLE_MS = 30_000;
/** A drain stuck behind another session's lock gives up after this, and is retried later. */
const DRAIN_LOCK_TIMEOUT_MS = 15_000;

/**
 * Drains what no change drained in time: entries left by a crash, a failed recompute or a
 * database outage, and changes made outside the service. Every replica may run it: drains take
 * the findings lock one after another, and the second finds the entries gone.
 */
@Injectable()
export class FindingsQueueWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FindingsQueueWorker.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private failuresInARow = 0;
  private started = false;

  constructor(
    private readonly engine: FindingsEngine,
    private readonly queue: FindingsQueueRepository,
    private readonly metrics: FindingsMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = null));
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      // The first look after a start also retries entries in backoff: the fault that failed
      // them (an outage, a lock) may have been what the restart was about.
      const failedToo = !this.started;
      let stats = await this.queue.stats(failedToo);
      this.metrics.observeQueue(stats);
      // A full batch may leave more due: keep going until the due entries are done.
      while (stats.due > 0 && !this.stopped) {
        const done = await this.engine.drainDue(DRAIN_LOCK_TIMEOUT_MS, failedToo);
        stats = await this.queue.stats(failedToo);
        this.metrics.observeQueue(stats);
        if (done === 0) break;
      }
      this.started = true;
      this.failuresInARow = 0;
    } catch (e) {
      this.failuresInARow++;
      this.logger.error(
        { err: (e as Error).message, failuresInARow: this.failuresInARow },
        'findings recompute from the queue failed; it stays queued and is retried',
      );
    }
    this.schedule(Math.min(MAX_IDLE_MS, POLL_MS * 2 ** Math.min(this.failuresInARow, 5)));
  }
}
