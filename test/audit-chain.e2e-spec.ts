import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { auditEntryHash } from '../src/audit/audit-chain';
import { dataSourceOptions } from '../src/database/data-source-options';
import { AuditService } from '../src/audit/audit.service';
import { seedModel } from './factories/inventory.factory';
import { client, personWithSession, TEST_DATA_KEY } from './factories/user.factory';
import { sharedTestDatabase } from './support/shared-database';
import { startTestApp, TestApp } from './support/test-app';

interface Entry {
  id: string;
  prevHash: string;
  hash: string;
  [field: string]: unknown;
}

describe('audit log: a tamper-evident hash chain', () => {
  let t: TestApp;
  let db: DataSource;

  /** The whole log, oldest first, as GET /audit exports it. */
  const exportLog = async (): Promise<Entry[]> => {
    const out: Entry[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Entry[]; nextCursor: string | null } } = await t
        .api()
        .get(`/api/v1/audit?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      out.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return out.reverse();
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { IOMT_DATA_KEY: TEST_DATA_KEY, RATE_LIMIT_AUTH_PER_MIN: '1000' } });
    db = t.app.get(DataSource);
    const { modelId } = await seedModel(t);
    await t
      .api()
      .post('/api/v1/devices')
      .send({ modelId, serialNumber: 'CHAIN-1', firmwareVersion: '1.0.0', location: 'ICU "B" / bed 3', department: 'Cardiology – Ünit 2' })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('verifies an untouched log and reports its head', async () => {
    const log = await exportLog();
    const res = await t.api().get('/api/v1/audit/verify').expect(200);
    expect(res.body).toEqual({ ok: true, entries: log.length, headId: log[log.length - 1].id, headHash: log[log.length - 1].hash });
  });

  it('links every entry to the one before it, from 64 zeros', async () => {
    const log = await exportLog();
    expect(log[0].prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < log.length; i++) expect(log[i].prevHash).toBe(log[i - 1].hash);
    for (const e of log) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets an auditor recompute every hash from the exported entries, outside the database', async () => {
    const log = await exportLog();
    expect(log.length).toBeGreaterThanOrEqual(4);
    for (const e of log) expect({ id: e.id, hash: auditEntryHash(e as never) }).toEqual({ id: e.id, hash: e.hash });
  });

  it('keeps one linear chain under concurrent writers', async () => {
    // Transactions that overlap for real: each appends, then holds its transaction open a moment.
    const audit = t.app.get(AuditService);
    const actor = { kind: 'api-key' as const, id: 'concurrency-test', name: 'concurrency test', role: 'admin' as const };
    const before = Number((await db.query(`SELECT count(*) AS n FROM audit_log`))[0].n);
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        db.transaction(async (m) => {
          await audit.record(m, actor, { action: 'test', entityType: 'concurrency', entityId: String(i), changes: { i } });
          await m.query('SELECT pg_sleep(0.01)');
        }),
      ),
    );
    const [{ n, forks }] = await db.query(`SELECT count(*) AS n, count(*) - count(DISTINCT prev_hash) AS forks FROM audit_log`);
    expect({ added: Number(n) - before, forks: Number(forks) }).toEqual({ added: 24, forks: 0 });
    expect((await t.api().get('/api/v1/audit/verify').expect(200)).body.ok).toBe(true);
  });

  it('lets it and admin verify, refuses biomed', async () => {
    const it = await personWithSession(t, 'it');
    await client(t).get('/api/v1/audit/verify', it.token).expect(200);
    const biomed = await personWithSession(t, 'biomed');
    await client(t).get('/api/v1/audit/verify', biomed.token).expect(403);
  });

  describe('tampering, straight in the database', () => {
    // Each case damages a copy-safe spot and restores it, so the cases stay independent.
    const restore: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      while (restore.length) await restore.pop()!();
      expect((await t.api().get('/api/v1/audit/verify').expect(200)).body.ok).toBe(true);
    });

    const middle = async () => {
      const [row] = await db.query(`SELECT id::text AS id, changes, actor_name, at FROM audit_log ORDER BY audit_log.id OFFSET 2 LIMIT 1`);
      return row as { id: string; changes: unknown; actor_name: string; at: Date };
    };

    it('detects an edited change record and names that entry', async () => {
      const row = await middle();
      await db.query(`UPDATE audit_log SET changes = jsonb_set(coalesce(changes, '{}'), '{name}', '"forged"') WHERE id = $1`, [row.id]);
      restore.push(() =>
        db.query(`UPDATE audit_log SET changes = $2::jsonb WHERE id = $1`, [row.id, row.changes === null ? null : JSON.stringify(row.changes)]),
      );
      const res = await t.api().get('/api/v1/audit/verify').expect(200);
      expect(res.body).toEqual({ ok: false, entries: expect.any(Number), firstBrokenId: row.id, reason: 'hash_mismatch' });
    });

    it('detects a changed actor and a backdated timestamp', async () => {
      const row = await middle();
      await db.query(`UPDATE audit_log SET actor_name = 'someone else' WHERE id = $1`, [row.id]);
      restore.push(() => db.query(`UPDATE audit_log SET actor_name = $2 WHERE id = $1`, [row.id, row.actor_name]));
      expect((await t.api().get('/api/v1/audit/verify').expect(200)).body).toMatchObject({ ok: false, firstBrokenId: row.id, reason: 'hash_mismatch' });
      await restore.pop()!();
      await db.query(`UPDATE audit_log SET at = at - interval '1 millisecond' WHERE id = $1`, [row.id]);
      restore.push(() => db.query(`UPDATE audit_log SET at = at + interval '1 millisecond' WHERE id = $1`, [row.id]));
      expect((await t.api().get('/api/v1/audit/verify').expect(200)).body).toMatchObject({ ok: false, firstBrokenId: row.id, reason: 'hash_mismatch' });
    });

    it('detects a deleted entry and names the one after the gap', async () => {
      const [victim] = await db.query(`SELECT * FROM audit_log ORDER BY id OFFSET 1 LIMIT 1`);
      const [next] = await db.query(`SELECT id::text AS id FROM audit_log WHERE id > $1 ORDER BY audit_log.id LIMIT 1`, [victim.id]);
      await db.query(`DELETE FROM audit_log WHERE id = $1`, [victim.id]);
      restore.push(() =>
        db.query(
          `INSERT INTO audit_log (id, at, actor_kind, actor_id, actor_name, action, entity_type, entity_id, changes, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            victim.id,
            victim.at,
            victim.actor_kind,
            victim.actor_id,
            victim.actor_name,
            victim.action,
            victim.entity_type,
            victim.entity_id,
            victim.changes === null ? null : JSON.stringify(victim.changes),
            victim.prev_hash,
            victim.hash,
          ],
        ),
      );
      const res = await t.api().get('/api/v1/audit/verify').expect(200);
      expect(res.body).toMatchObject({ ok: false, firstBrokenId: next.id, reason: 'prev_hash_mismatch' });
    });

    it('detects an entry rewritten with a recomputed hash: the next link no longer matches', async () => {
      const row = await middle();
      const [{ hash }] = await db.query(`SELECT hash FROM audit_log WHERE id = $1`, [row.id]);
      const [next] = await db.query(`SELECT id::text AS id FROM audit_log WHERE id > $1 ORDER BY audit_log.id LIMIT 1`, [row.id]);
      // The forger rewrites the entry and its own hash consistently (the hash function is public).
      await db.query(
        `UPDATE audit_log a SET actor_name = 'forger', hash = encode(sha256(convert_to(jsonb_build_array(a.id::text, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), a.actor_kind, a.actor_id, 'forger', a.action, a.entity_type, a.entity_id, a.changes, a.prev_hash::text)::text, 'UTF8')), 'hex') WHERE id = $1`,
        [row.id],
      );
      restore.push(() => db.query(`UPDATE audit_log SET actor_name = $2, hash = $3 WHERE id = $1`, [row.id, row.actor_name, hash]));
      const res = await t.api().get('/api/v1/audit/verify').expect(200);
      expect(res.body).toMatchObject({ ok: false, firstBrokenId: next.id, reason: 'prev_hash_mismatch' });
    });
  });

  it('refuses to chain a fork: two entries cannot claim the same parent', async () => {
    const [last] = await db.query(`SELECT prev_hash FROM audit_log ORDER BY id DESC LIMIT 1`);
    await expect(
      db.query(`INSERT INTO audit_log (actor_kind, actor_name, action, entity_type, prev_hash, hash) VALUES ('api-key', 'x', 'x', 'x', $1, $2)`, [
        last.prev_hash,
        'f'.repeat(64),
      ]),
    ).rejects.toThrow(/audit_log_prev_hash/);
  });
});

describe('audit log written before the chain existed', () => {
  it('is chained by the migration, oldest first, and verifies', async () => {
    const shared = await sharedTestDatabase();
    try {
      // One connection, closed before the app opens its own: never two at once on a PGlite.
      const before = new DataSource({
        ...dataSourceOptions(shared.url, 1),
        migrations: migrations.filter((m) => Number(/\d+$/.exec(m.name)![0]) < 1764300006000),
      });
      await before.initialize();
      await before.runMigrations();
      // More than 9 entries, so that an id order mistaken for text order ('10' < '2') would show.
      for (let i = 0; i < 12; i++) {
        await before.query(
          `INSERT INTO audit_log (actor_kind, actor_id, actor_name, action, entity_type, entity_id, changes) VALUES ('api-key', 'k1', 'old key', 'update', 'device', $1, $2)`,
          [String(i), JSON.stringify({ zeta: i, location: { from: 'ER "1"', to: 'ICU – é' }, tags: [1, 'two', null] })],
        );
      }
      await before.destroy();

      const t = await startTestApp({ databaseUrl: shared.url, env: { ...shared.appEnv, IOMT_DATA_KEY: TEST_DATA_KEY } });
      try {
        const verdict = await t.api().get('/api/v1/audit/verify').expect(200);
        expect(verdict.body).toMatchObject({ ok: true, entries: 13 });
        const log = (await t.api().get('/api/v1/audit?limit=500').expect(200)).body.items.reverse();
        expect(log.map((e: Entry) => e.id)).toEqual(Array.from({ length: 13 }, (_, i) => String(i + 1)));
        expect(log[0].prevHash).toBe('0'.repeat(64));
        for (let i = 1; i < log.length; i++) expect(log[i].prevHash).toBe(log[i - 1].hash);
        for (const e of log) expect(auditEntryHash(e)).toBe(e.hash);
      } finally {
        await t.close();
      }
    } finally {
      await shared.drop();
    }
  });
});
