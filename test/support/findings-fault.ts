import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { eventually } from './mqtt-device';

/**
 * The fault trial's scenario on a real PostgreSQL: another session holds `findings` in ACCESS
 * EXCLUSIVE mode, so a recompute started after a device change waits inside its transaction.
 */
export class FindingsLock {
  private constructor(
    private readonly client: Client,
    private readonly databaseName: string,
  ) {}

  static async take(databaseUrl: string): Promise<FindingsLock> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE findings IN ACCESS EXCLUSIVE MODE');
    return new FindingsLock(client, new URL(databaseUrl).pathname.slice(1));
  }

  /** Sessions of the service waiting for a lock in this database (the recompute, stuck behind ours). */
  async waiters(): Promise<number[]> {
    const rows = await this.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      [this.databaseName],
    );
    return rows.rows.map((r) => r.pid);
  }

  /** Resolves once a recompute is waiting on the lock: the positive signal that it started. */
  async recomputeWaiting(timeoutMs = 20_000): Promise<void> {
    await eventually(
      async () => {
        if (!(await this.waiters()).length) throw new Error('no recompute is waiting for the findings lock yet');
      },
      timeoutMs,
      50,
    );
  }

  /** Ends the waiting sessions, as an operator's pg_terminate_backend or a lock timeout would: the recompute fails. */
  async terminateWaiters(): Promise<number> {
    const pids = await this.waiters();
    for (const pid of pids) await this.client.query('SELECT pg_terminate_backend($1)', [pid]);
    return pids.length;
  }

  async release(): Promise<void> {
    await this.client.query('ROLLBACK');
    await this.client.end();
  }
}

/**
 * Runs SQL on the embedded database of a service that is not running, in place: PGlite recovers
 * the directory as the service's own next start would.
 */
export async function onStoppedEmbeddedDatabase(dataDir: string, sql: string): Promise<void> {
  const db = await PGlite.create(join(dataDir, 'pgdata'));
  try {
    await db.exec(sql);
  } finally {
    await db.close();
  }
}

/** With the table renamed, every recompute fails after the change it follows has committed. */
export const HIDE_FINDINGS = 'ALTER TABLE findings RENAME TO findings_hidden';
export const RESTORE_FINDINGS = 'ALTER TABLE findings_hidden RENAME TO findings';
