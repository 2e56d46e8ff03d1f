import { DataSource } from 'typeorm';
import { DecisionCells1764300030000 } from '../migrations/1764300030000-DecisionCells';
import {
  FINDING_DECISION_RANK_SQL,
  FINDING_DECISION_SQL,
  FINDING_DUE_AT_SQL,
  DECISION_JOIN_SQL,
  DECISION_SINCE_SQL,
} from '../src/prioritisation/priority-summary.sql';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, seedModel } from './factories/inventory.factory';
import { replayMigrations } from './support/migration-replay';
import { startTestApp, TestApp } from './support/test-app';

type Stored = { id: string; decision: string | null; decision_rank: number | null; decision_since: Date | null; due_at: Date | null };

/**
 * Migration 1764300030000 over decisions stored per finding: down() puts the per-finding columns
 * back (filled from the cells), the findings of one cell are given different decision times (as
 * findings opened on different days have them), and up() must carry every one over exactly: each
 * finding's decision, rank, decision time and due date as read through its cell equal the stored ones.
 */
describe('Migrating decisions stored per finding to decisions per advisory and device class', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('derives for every open finding the decision, decision time and due date it had stored', async () => {
    const described = await seedModel(t, { safetyImpact: 'marginal' });
    const bare = await seedModel(t);
    const devices = [
      await createDevice(t, described.modelId, { firmwareVersion: '1.0', systemExposure: 'small', missionImpact: 'degraded' }),
      await createDevice(t, described.modelId, { firmwareVersion: '1.0', systemExposure: 'small', missionImpact: 'degraded' }),
      await createDevice(t, described.modelId, { firmwareVersion: '1.0', systemExposure: 'open', missionImpact: 'mission_failure' }),
      await createDevice(t, bare.modelId, { firmwareVersion: '1.0' }),
      await createDevice(t, bare.modelId, { firmwareVersion: '1.0' }),
    ];
    const ids = devices.map((d) => d.id);
    await createAdvisory(t, {
      manufacturerId: described.manufacturerId,
      cvssVector: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      affected: [{ modelId: described.modelId, versions: '<2.0' }],
    });
    await createAdvisory(t, {
      manufacturerId: described.manufacturerId,
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      affected: [{ modelId: described.modelId, versions: '<2.0' }],
    });
    await createAdvisory(t, { manufacturerId: bare.manufacturerId, affected: [{ modelId: bare.modelId, versions: '<2.0' }] });
    const api = async () =>
      (
        await Promise.all(
          ids.map(
            async (id) => (await t.api().get(`/api/v1/devices/${id}/findings`).expect(200)).body as Array<{ id: string; status: string; priority: unknown }>,
          ),
        )
      )
        .flat()
        .filter((f) => f.status === 'open')
        .sort((a, b) => a.id.localeCompare(b.id));
    const before = await api();
    expect(before).toHaveLength(8);

    const db = t.app.get(DataSource);
    const cells = new DecisionCells1764300030000();
    const stored = await replayMigrations(db, {
      down: [cells],
      before: async (runner): Promise<Stored[]> => {
        // Findings of one cell decided on different days, each due from its own day.
        await runner.query(
          `UPDATE findings SET decision_since = decision_since - (id % 4) * interval '1 day', due_at = due_at - (id % 4) * interval '1 day'
            WHERE device_id = ANY($1::uuid[]) AND status = 'open'`,
          [ids],
        );
        return runner.query(
          `SELECT id::text, decision, decision_rank, decision_since, due_at FROM findings WHERE device_id = ANY($1::uuid[]) AND status = 'open' ORDER BY id`,
          [ids],
        );
      },
      up: [cells],
    });

    expect(stored).toHaveLength(8);
    expect(stored.every((s) => s.decision !== null && s.decision_since !== null)).toBe(true);
    expect(new Set(stored.map((s) => s.decision_since!.getTime())).size).toBeGreaterThan(1);
    const derived: Stored[] = await db.query(
      `SELECT f.id::text, ${FINDING_DECISION_SQL} AS decision, ${FINDING_DECISION_RANK_SQL} AS decision_rank, ${DECISION_SINCE_SQL} AS decision_since,
              ${FINDING_DUE_AT_SQL} AS due_at
         FROM findings f ${DECISION_JOIN_SQL} WHERE f.device_id = ANY($1::uuid[]) AND f.status = 'open' ORDER BY f.id`,
      [ids],
    );
    expect(derived).toEqual(stored);
    // The API shows the same priorities; only the due dates moved back as the stored decision times did.
    const after = await api();
    expect(after.map((f) => ({ ...f, priority: { ...(f.priority as object), dueAt: null } }))).toEqual(
      before.map((f) => ({ ...f, priority: { ...(f.priority as object), dueAt: null } })),
    );
    const dueOf = (id: string) => stored.find((s) => s.id === id)!.due_at;
    for (const f of after) {
      const due = dueOf(f.id);
      expect((f.priority as { dueAt: string | null }).dueAt).toBe(due === null ? null : due.toISOString());
    }
  });
});
