import { Client } from 'pg';

/** Any constant will do, as long as every replica uses the same one (see src/database/migration-runner.ts). */
export const SYSLOG_FORWARDER_LOCK_ID = 7_316_052_026;

/**
 * Only one replica forwards at a time: the one holding a session-level PostgreSQL advisory lock,
 * on a connection of its own outside the pool (a pooled connection could be closed idle, and the
 * lock with it, without anyone noticing). The lock lives as long as that connection: a replica
 * that dies or loses its database lets another take over at its next try.
 *
 * Without a database URL (the embedded PGlite) there is nothing to share: the embedded database
 * belongs to the one process that started it.
 */
export class ForwarderLock {
  private client: Client | null = null;
  private held = false;

  constructor(private readonly databaseUrl: string | undefined) {}

  /** True when this process holds the lock (taking it if free). */
  async acquire(): Promise<boolean> {
    if (!this.databaseUrl) return true;
    if (this.held && this.client) return true;
    if (!this.client) {
      const client = new Client({ connectionString: this.databaseUrl, keepAlive: true, application_name: 'iomt-syslog-forwarder' });
      const lost = () => this.lost(client);
      client.on('error', lost);
      client.on('end', lost);
      this.client = client;
      try {
        await client.connect();
      } catch (e) {
        this.lost(client);
        throw e;
      }
    }
    const [row] = (await this.client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SYSLOG_FORWARDER_LOCK_ID])).rows;
    this.held = row.ok;
    return this.held;
  }

  /** Whether the lock was held at the last look: a lost connection clears it. */
  get isHeld(): boolean {
    return !this.databaseUrl || this.held;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    // Ending the session releases its advisory locks.
    await client?.end().catch(() => undefined);
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.held = false;
    client.end().catch(() => undefined);
  }
}
