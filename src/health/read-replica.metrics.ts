import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { READ_REPLICA, replicaLagSeconds } from '../database/read-replica';

const TIMEOUT_MS = 2000;
/** Both gauges of one scrape share one query. */
const SAME_SCRAPE_MS = 500;

type Reading = { up: true; lag: number } | { up: false };

/**
 * The report replica's state at each scrape, for alerting on lag (docs/deployment.md, "Reports
 * on a read replica"). Registered only with DATABASE_READ_URL: without it there is nothing to watch.
 */
@Injectable()
export class ReadReplicaMetrics {
  private reading: { at: number; value: Promise<Reading> } | null = null;

  constructor(
    @Inject(READ_REPLICA) private readonly replica: DataSource | null,
    registry: Registry,
  ) {
    if (!replica) return;
    const read = () => this.read();
    new Gauge({
      name: 'iomt_read_replica_up',
      help: 'The read replica (DATABASE_READ_URL) answered at this scrape: 1, or 0',
      registers: [registry],
      async collect() {
        this.set((await read()).up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'iomt_read_replica_lag_seconds',
      help: 'now() - pg_last_xact_replay_timestamp() on the read replica at this scrape (0 on a server that is not a standby); unchanged when it did not answer',
      registers: [registry],
      async collect() {
        const r = await read();
        if (r.up) this.set(r.lag);
      },
    });
  }

  private read(): Promise<Reading> {
    const now = Date.now();
    if (this.reading && now - this.reading.at < SAME_SCRAPE_MS) return this.reading.value;
    this.reading = { at: now, value: this.query() };
    return this.reading.value;
  }

  private async query(): Promise<Reading> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const lag = await Promise.race([
        replicaLagSeconds(this.replica!),
        new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error('timeout')), TIMEOUT_MS))),
      ]);
      return { up: true, lag: lag ?? 0 };
    } catch {
      return { up: false };
    } finally {
      clearTimeout(timer);
    }
  }
}
