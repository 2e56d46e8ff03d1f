import type { Logger } from '@nestjs/common';

export interface PeriodicTaskOptions {
  /** The work of one pass. */
  run: () => Promise<unknown>;
  /** Wait after a pass ends before the next starts (read after each pass: a backoff may depend on the last). */
  nextDelayMs: () => number;
  logger: Logger;
  /** Logged with the error when a pass throws; the task goes on at the next interval either way. */
  failureMessage: string;
}

/**
 * A background job on a timer: one pass at a time, the next timed from the end of the last (a
 * slow pass never piles up behind itself), a failure logged and never thrown out of the timer,
 * and `stop()` waiting for the pass in progress so a shutdown does not cut a transaction short.
 * The timer is unref'd: a task never keeps the process alive alone.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: PeriodicTaskOptions) {}

  /** True once stop() was called: long passes check it between their steps. */
  get isStopped(): boolean {
    return this.stopped;
  }

  start(firstDelayMs = this.options.nextDelayMs()): void {
    this.schedule(firstDelayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.options
        .run()
        .then(
          () => undefined,
          (e: unknown) => this.options.logger.warn({ err: (e as Error).message }, this.options.failureMessage),
        )
        .finally(() => {
          this.running = null;
          this.schedule(this.options.nextDelayMs());
        });
    }, delayMs);
    this.timer.unref();
  }
}
