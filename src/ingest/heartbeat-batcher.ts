import { Logger } from '@nestjs/common';
import { Heartbeat } from './heartbeat-message';
import { HeartbeatPlan } from './heartbeat-plan';
import { Rejection } from './heartbeat.repository';
import { AckToken } from './puback-gate';

export interface BatchItem {
  heartbeat?: Heartbeat;
  rejection?: Rejection;
  ack?: AckToken;
}

export interface BatcherOptions {
  /** How long the first message of a batch may wait for company. */
  maxWaitMs: number;
  maxBatch: number;
  /**
   * Batches committing at once. Two overlap one batch's round trips and fsync with the next
   * one's work; they cannot conflict, because each locks its devices' presence rows in id order
   * and a heartbeat older than the stored one changes nothing.
   */
  maxConcurrent: number;
  commit: (heartbeats: Heartbeat[], rejections: Rejection[]) => Promise<HeartbeatPlan>;
  onCommitted: (items: BatchItem[], plan: HeartbeatPlan, ms: number) => void;
  onCommitFailed: (error: unknown, attempt: number) => void;
}

/**
 * Collects heartbeats for a few milliseconds (or up to a size) and commits them together, up to
 * `maxConcurrent` batches at a time. A failed commit keeps its messages and retries with backoff.
 * Intake is bounded by the PubackGate, not here: while the database is down, uncommitted
 * messages reach its high-water mark, the client stops reading, and the broker holds the rest.
 */
export class HeartbeatBatcher {
  private readonly logger = new Logger(HeartbeatBatcher.name);
  private queue: BatchItem[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Set<Promise<void>>();
  private failures = 0;
  private stopped = false;

  constructor(private readonly options: BatcherOptions) {}

  get pending(): number {
    return this.queue.length;
  }

  add(item: BatchItem): void {
    this.queue.push(item);
    if (this.queue.length >= this.options.maxBatch) this.kick(0);
    else if (!this.timer) this.kick(this.options.maxWaitMs);
  }

  /** Commits everything received so far (shutdown). */
  async drain(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.queue.length || this.running.size) && Date.now() < deadline) {
      if (this.running.size) await Promise.race(this.running);
      else await this.flush();
    }
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.queue.length) this.logger.warn({ left: this.queue.length }, 'shutdown before these heartbeats committed: the broker will redeliver them');
  }

  private kick(delayMs: number): void {
    if (this.stopped || this.full) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
  }

  private get full(): boolean {
    // After a failure, one attempt at a time: no point hammering a database that is down.
    return this.running.size >= (this.failures ? 1 : this.options.maxConcurrent);
  }

  private flush(): Promise<void> {
    if (this.full || !this.queue.length) return this.running.size ? Promise.race(this.running) : Promise.resolve();
    const items = this.queue.splice(0, this.options.maxBatch);
    const run: Promise<void> = this.commit(items).finally(() => {
      this.running.delete(run);
      if (this.queue.length) this.kick(this.failures ? this.backoffMs() : 0);
    });
    this.running.add(run);
    // More waiting already? Start the next batch now rather than after this one.
    if (this.queue.length >= this.options.maxBatch) this.kick(0);
    return run;
  }

  private async commit(items: BatchItem[]): Promise<void> {
    const started = Date.now();
    const heartbeats = items.flatMap((i) => (i.heartbeat ? [i.heartbeat] : []));
    const rejections = items.flatMap((i) => (i.rejection ? [i.rejection] : []));
    try {
      const plan = await this.options.commit(heartbeats, rejections);
      this.failures = 0;
      this.options.onCommitted(items, plan, Date.now() - started);
    } catch (error) {
      this.failures++;
      // Put them back in front: order matters less than never losing them.
      this.queue.unshift(...items);
      this.options.onCommitFailed(error, this.failures);
    }
  }

  private backoffMs(): number {
    return Math.min(5_000, 100 * 2 ** Math.min(this.failures, 6));
  }
}
