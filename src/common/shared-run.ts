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

/**
 * SharedRun per key: concurrent callers asking for the same key (for example the same page of a
 * report with the same filters) share its runs; different keys run independently. A key's
 * SharedRun is dropped once nobody waits on it, so the map holds only reads in flight.
 */
export class SharedRuns<T> {
  private readonly byKey = new Map<string, { shared: SharedRun<T>; waiting: number }>();

  /** `work` must give the same answer for every caller of one key: the first caller's is the one that runs. */
  async run(key: string, work: () => Promise<T>): Promise<T> {
    let entry = this.byKey.get(key);
    if (!entry) {
      entry = { shared: new SharedRun(work), waiting: 0 };
      this.byKey.set(key, entry);
    }
    entry.waiting++;
    try {
      return await entry.shared.run();
    } finally {
      if (--entry.waiting === 0 && this.byKey.get(key) === entry) this.byKey.delete(key);
    }
  }

  /** Keys with a read in flight or waited on (for tests and metrics). */
  get size(): number {
    return this.byKey.size;
  }
}
