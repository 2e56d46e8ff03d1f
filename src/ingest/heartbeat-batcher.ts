import { Logger } from '@nestjs/common';
import { Heartbeat } from './heartbeat-message';
import { emptyPlan, HeartbeatPlan } from './heartbeat-plan';
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
  /** The database refused a statement for the data in it (not for being away). */
  isDataError: (error: unknown) => boolean;
  /** The rejection to store instead of a message the database refused on its own. */
  unstorable: (item: BatchItem, error: unknown) => BatchItem;
  /** Even that rejection was refused: the message is acknowledged unstored, and must be told. */
  onDropped: (item: BatchItem, error: unknown) => void;
}

/**
 * Collects heartbeats for a few milliseconds (or up to a size) and commits them together, up to
 * `maxConcurrent` batches at a time. A failed commit keeps its messages and retries with backoff.
 * Intake is bounded by the PubackGate, not here: while the database is down, uncommitted
 * messages reach its high-water mark, the client stops reading, and the broker holds the rest.
 *
 * A batch refused for its data is different: retried as it is, it would fail forever and stop
 * all ingest for one bad message that validation let through. It is split in halves until the
 * refused message is alone, and that one is stored as a rejection.
 */
export class HeartbeatBatcher {
  private readonly logger = new Logger(HeartbeatBatcher.name);
  private queue: BatchItem[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly running = new Set<Promise<void>>();
  private failures = 0;
  private stopped = false;
  /** Messages in batches being committed now. */
  private committing = 0;

  constructor(private readonly options: BatcherOptions) {}

  /** Messages waiting for a batch. */
  get pending(): number {
    return this.queue.length;
  }

  /** Messages received and not yet committed: waiting, or in a batch being committed. */
  get uncommitted(): number {
    return this.queue.length + this.committing;
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
    this.committing += items.length;
    const run: Promise<void> = this.commit(items).finally(() => {
      this.committing -= items.length;
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
      if (this.options.isDataError(error)) return this.isolate(items, error);
      this.failures++;
      // Put them back in front: order matters less than never losing them.
      this.queue.unshift(...items);
      this.options.onCommitFailed(error, this.failures);
    }
  }

  /** Each half commits (or splits again) on its own; a refused message alone becomes a rejection. */
  private async isolate(items: BatchItem[], error: unknown): Promise<void> {
    if (items.length === 1 && items[0].heartbeat) return this.commit([this.options.unstorable(items[0], error)]);
    if (items.length === 1) {
      // A rejection the database refuses: holding it would stop ingest for good.
      this.options.onDropped(items[0], error);
      this.options.onCommitted(items, emptyPlan(), 0);
      return;
    }
    const half = Math.ceil(items.length / 2);
    await this.commit(items.slice(0, half));
    await this.commit(items.slice(half));
  }

  private backoffMs(): number {
    return Math.min(5_000, 100 * 2 ** Math.min(this.failures, 6));
  }
}
