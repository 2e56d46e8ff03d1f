import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';

/** Devices whose firmware is no longer `initial`: one heartbeat applied each. */
const APPLIED = 'SELECT count(*)::int AS n FROM devices WHERE firmware_version IS DISTINCT FROM $1';

/**
 * Reads the database of a service that is not running (just killed): what it had committed.
 * An embedded PGlite lives inside the dead process, so this opens a copy of its directory,
 * leaving the original for the service itself to recover at its next start.
 */
export async function countAppliedAfterKill(where: { databaseUrl: string } | { dataDir: string }, initial: string): Promise<number> {
  if ('databaseUrl' in where) {
    const client = new Client({ connectionString: where.databaseUrl });
    await client.connect();
    try {
      return (await client.query(APPLIED, [initial])).rows[0].n;
    } finally {
      await client.end();
    }
  }
  const copy = mkdtempSync(join(tmpdir(), 'iomt-kill-snapshot-'));
  try {
    cpSync(join(where.dataDir, 'pgdata'), copy, { recursive: true });
    const db = await PGlite.create(copy);
    try {
      return (await db.query<{ n: number }>(APPLIED, [initial])).rows[0].n;
    } finally {
      await db.close();
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
