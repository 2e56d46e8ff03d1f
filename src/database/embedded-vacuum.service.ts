import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { CHURNED_TABLES } from './autovacuum-check';
import { DATABASE_ENDPOINT, DatabaseEndpoint } from './database-endpoint';

/** Tables heartbeats rewrite, plus the findings queue they fill and drain. */
export const EMBEDDED_VACUUMED_TABLES = [...CHURNED_TABLES, 'findings_recompute_queue'] as const;
const EVERY_MS = 10_000;
/** Every this many passes the whole database is vacuumed and analysed (about every ten minutes). */
const FULL_PASS_EVERY = 60;

/**
 * The embedded PGlite is PostgreSQL in single-user mode: no autovacuum launcher runs, whatever the
 * setting says. Left alone, every heartbeat's dead row version stays (a 2,000-row table updated
 * 300 times grew from 1.3 MB to 17 MB of heap and its index from 0.9 to 7.4 MB, and the updates
 * took 38 % longer), and the planner's statistics never move. So the service does autovacuum's
 * work itself: the churned tables every ten seconds (a pass over tables with nothing dead skips
 * their pages through the visibility map), and `VACUUM (ANALYZE)` of everything every ten minutes.
 * VACUUM cannot run in a transaction block; on the embedded pool of one connection it waits its
 * turn between heartbeat batches like any statement. An external PostgreSQL has autovacuum.
 */
@Injectable()
export class EmbeddedVacuum implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmbeddedVacuum.name);
  private passes = 0;
  private readonly task = new PeriodicTask({
    run: () => this.runOnce(),
    nextDelayMs: () => EVERY_MS,
    logger: this.logger,
    failureMessage: 'embedded vacuum failed; it runs again in ten seconds',
  });

  constructor(
    @Inject(DATABASE_ENDPOINT) private readonly endpoint: DatabaseEndpoint,
    private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (this.endpoint.embedded) this.task.start();
  }

  /** Before the database closes (DatabaseLifecycle closes it on shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass; returns what it vacuumed. */
  async runOnce(): Promise<'churned' | 'all'> {
    this.passes++;
    if (this.passes % FULL_PASS_EVERY === 0) {
      await this.dataSource.query('VACUUM (ANALYZE)');
      return 'all';
    }
    await this.dataSource.query(`VACUUM ${EMBEDDED_VACUUMED_TABLES.join(', ')}`);
    return 'churned';
  }
}
