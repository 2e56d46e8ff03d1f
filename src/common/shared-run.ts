/**
 * Concurrent callers of one read share its runs: at most one run at a time, and a caller is
 * answered by a run that STARTED after it called (never by one already under way, which may
 * predate a write the caller has just made). Callers arriving while a run is under way all wait
 * for the one run that starts when it ends. So N concurrent callers cost at most two runs, and
 * one database connection at a time, whatever N is.
 */
export class SharedRun<T> {
  private running: Promise<T> | null = null;
  private next: Promise<T> | null = null;

  constructor(private readonly work: () => Promise<T>) {}

  run(): Promise<T> {
    if (!this.running) return this.start();
    if (!this.next) {
      const after = (): Promise<T> => {
        this.next = null;
        return this.start();
      };
      this.next = this.running.then(after, after);
    }
    return this.next;
  }

  private start(): Promise<T> {
    const run: Promise<T> = this.work().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}
