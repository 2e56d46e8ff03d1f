import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';

/**
 * The embedded PostgreSQL itself: PGlite on its worker thread behind the socket, initdb of a
 * fresh folder in a child process, its memory settings, a clean stop, and a thread that dies.
 * Embedded only by nature (there is no PGlite with a real PostgreSQL), so it runs on both setups alike.
 */
describe('Embedded PostgreSQL (PGlite on a worker thread)', () => {
  const query = async <T>(url: string, sql: string): Promise<T[]> => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  };

  it('serves SQL over its socket from the worker thread, with the smaller cache, and stops cleanly', async () => {
    const embedded = await EmbeddedPostgres.start('memory://', 2);
    try {
      const [row] = await query<{ shared_buffers: string; wal_buffers: string }>(
        embedded.url,
        `SELECT current_setting('shared_buffers') AS shared_buffers, current_setting('wal_buffers') AS wal_buffers`,
      );
      expect(row).toEqual({ shared_buffers: '16MB', wal_buffers: '512kB' });
    } finally {
      await embedded.stop();
    }
    await expect(query(embedded.url, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  }, 180_000);

  it('creates a fresh data folder (initdb in a child process) and finds the data again after a stop', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'iomt-embedded-'));
    try {
      const first = await EmbeddedPostgres.start(dataDir, 2);
      try {
        expect(existsSync(join(resolve(dataDir, 'pgdata'), 'PG_VERSION'))).toBe(true);
        await query(first.url, `CREATE TABLE kept (note text); INSERT INTO kept VALUES ('after a restart')`);
      } finally {
        await first.stop();
      }
      const second = await EmbeddedPostgres.start(dataDir, 2);
      try {
        expect(await query<{ note: string }>(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'after a restart' }]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);

  it('reports a thread that dies while serving, once, instead of leaving the service hanging', async () => {
    const crashes: Error[] = [];
    const embedded = await EmbeddedPostgres.start('memory://', 2, {
      workerScript: join(__dirname, 'support', 'pglite-dying.worker.mjs'),
      onCrash: (e) => crashes.push(e),
    });
    const deadline = Date.now() + 15_000;
    while (!crashes.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    expect(crashes.map((e) => e.message)).toEqual(["embedded PostgreSQL's thread exited with 3"]);
    await embedded.stop();
  }, 180_000);
});
