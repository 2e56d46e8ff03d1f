import { DataSource } from 'typeorm';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { metricValue } from './support/metrics';
import { startTestApp, TestApp } from './support/test-app';
import { RetentionService } from '../src/retention/retention.service';

const DAY_MS = 86_400_000;

/** Retention of the tables that grow with time (docs/scale.md, "Retention"), with the default days. */
describe('retention', () => {
  let t: TestApp;
  let db: DataSource;
  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await db.query(sql, params))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('prunes old firmware history but keeps each device its newest change, however old', async () => {
    const { modelId } = await seedModel(t);
    const a = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const b = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    // a: three changes 800-900 days old (past the default 730) and its registration row, now.
    // b: only old changes: the newest of them stays.
    for (const [id, days] of [
      [a.id, 900],
      [a.id, 850],
      [a.id, 800],
      [b.id, 900],
      [b.id, 800],
    ] as const) {
      await db.query(
        `INSERT INTO firmware_history (device_id, from_version, to_version, source, changed_at) VALUES ($1, '0.9', '0.9.${days}', 'heartbeat', now() - make_interval(days => $2))`,
        [id, days],
      );
    }
    await db.query(`UPDATE firmware_history SET changed_at = now() - interval '950 days' WHERE device_id = $1 AND source = 'registration'`, [b.id]);
    const removed = await t.app.get(RetentionService).runOnce();
    expect(removed.firmware_history).toBe(5);
    const left = await db.query(`SELECT device_id, to_version FROM firmware_history WHERE device_id = ANY($1::uuid[]) ORDER BY device_id, id`, [[a.id, b.id]]);
    expect(left.filter((r: { device_id: string }) => r.device_id === a.id).map((r: { to_version: string }) => r.to_version)).toEqual(['1.0.0']);
    expect(left.filter((r: { device_id: string }) => r.device_id === b.id).map((r: { to_version: string }) => r.to_version)).toEqual(['0.9.800']);
    const pruned = metricValue((await t.api().get('/metrics').expect(200)).text, 'iomt_retention_pruned_rows_total', { table: 'firmware_history' });
    expect(pruned).toBe(5);
  });

  it('prunes sightings not heard of for 90 days and security events older than a year, and nothing newer', async () => {
    await db.query(
      `INSERT INTO unknown_devices (claimed_device_id, reason, first_seen_at, last_seen_at, heartbeat_count)
       VALUES ('ghost-old', 'not_registered', now() - interval '200 days', now() - interval '91 days', 3),
              ('ghost-new', 'not_registered', now() - interval '200 days', now() - interval '89 days', 3)`,
    );
    await db.query(
      `INSERT INTO security_events (type, severity, detected_at) VALUES ('unknown_device', 'low', now() - interval '366 days'), ('unknown_device', 'low', now() - interval '364 days')`,
    );
    const removed = await t.app.get(RetentionService).runOnce();
    expect(removed.unknown_devices).toBe(1);
    expect(removed.security_events).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM unknown_devices WHERE claimed_device_id LIKE 'ghost-%'`)).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM security_events WHERE detected_at < now() - interval '300 days'`)).toBe(1);
  });

  it('prunes work orders closed more than six years ago with their history, never an active one however old', async () => {
    const { modelId } = await seedModel(t);
    const devices = await Promise.all([0, 1, 2, 3].map(() => createDevice(t, modelId, { firmwareVersion: '1.0.0' })));
    const order = async (deviceId: string, status: string, closedDaysAgo: number): Promise<string> => {
      const [{ id }] = await db.query(
        `INSERT INTO work_orders (device_id, decision, decision_rank, status, origin, detected_at, done_at, created_at, updated_at)
         VALUES ($1, 'scheduled', 1, $2::varchar, 'manual', now() - make_interval(days => $3::int + 30),
                 CASE WHEN $2::varchar = 'done' THEN now() - make_interval(days => $3::int) END,
                 now() - make_interval(days => $3::int + 30), now() - make_interval(days => $3::int))
         RETURNING id`,
        [deviceId, status, closedDaysAgo],
      );
      await db.query(`INSERT INTO work_order_history (work_order_id, actor_id, actor_name, action) VALUES ($1, 'test', 'Test', 'created')`, [id]);
      return id as string;
    };
    const oldDone = await order(devices[0].id, 'done', 2200);
    const oldCancelled = await order(devices[1].id, 'cancelled', 2200);
    const oldActive = await order(devices[2].id, 'in_progress', 2200);
    const recentDone = await order(devices[3].id, 'done', 2000);
    const removed = await t.app.get(RetentionService).runOnce();
    expect(removed.work_orders).toBe(2);
    const left = await db.query(`SELECT id FROM work_orders WHERE id = ANY($1::uuid[]) ORDER BY id`, [[oldDone, oldCancelled, oldActive, recentDone]]);
    expect(left.map((r: { id: string }) => r.id).sort()).toEqual([oldActive, recentDone].sort());
    expect(await count(`SELECT count(*) AS n FROM work_order_history WHERE work_order_id = ANY($1::uuid[])`, [[oldDone, oldCancelled]])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM work_order_history WHERE work_order_id = ANY($1::uuid[])`, [[oldActive, recentDone]])).toBe(2);
  });

  it('prunes the audit log behind a checkpoint: the chain still verifies, and the prune is itself in the chain', async () => {
    await seedModel(t);
    const before = (await t.api().get('/api/v1/audit/verify').expect(200)).body;
    expect(before.ok).toBe(true);
    expect(before.entries).toBeGreaterThan(2);
    // Six years and a day from now, every entry written so far is past the default 2,190 days.
    const removed = await t.app.get(RetentionService).runOnce(new Date(Date.now() + 2191 * DAY_MS));
    expect(removed.audit_log).toBe(before.entries);
    const after = (await t.api().get('/api/v1/audit/verify').expect(200)).body;
    expect(after).toMatchObject({ ok: true, entries: 1 });
    const [prune] = (await t.api().get('/api/v1/audit?action=prune').expect(200)).body.items;
    expect(prune.changes).toMatchObject({ prunedThroughId: before.headId, prunedThroughHash: before.headHash, prunedEntries: before.entries });
    // The chain goes on from the prune entry.
    await seedModel(t);
    expect((await t.api().get('/api/v1/audit/verify').expect(200)).body).toMatchObject({ ok: true, entries: 3 });
  });

  it('detects a checkpoint rewritten to hide entries deleted by hand', async () => {
    await seedModel(t);
    const head = (await t.api().get('/api/v1/audit/verify').expect(200)).body;
    const [first] = await db.query(`SELECT id::text AS id, hash FROM audit_log ORDER BY id LIMIT 1`);
    // Someone deletes the oldest kept entry and points the checkpoint at it.
    await db.query(`DELETE FROM audit_log WHERE id = $1`, [first.id]);
    await db.query(`UPDATE audit_checkpoints SET pruned_through_id = $1, pruned_through_hash = $2 WHERE id = (SELECT max(id) FROM audit_checkpoints)`, [
      first.id,
      first.hash,
    ]);
    const verdict = (await t.api().get('/api/v1/audit/verify').expect(200)).body;
    expect(verdict.ok).toBe(false);
    expect(verdict.entries).toBe(head.entries - 1);
  });

  it('refuses the audit verification to a biomed key', async () => {
    const key = await createKey(t, 'biomed');
    await t.api(key).get('/api/v1/audit/verify').expect(403);
  });
});
