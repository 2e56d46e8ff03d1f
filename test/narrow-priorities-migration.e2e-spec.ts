import { DataSource } from 'typeorm';
import { NarrowFindingPriorities1764300029000 } from '../migrations/1764300029000-NarrowFindingPriorities';
import { DecisionCells1764300030000 } from '../migrations/1764300030000-DecisionCells';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, seedModel } from './factories/inventory.factory';
import { replayMigrations } from './support/migration-replay';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Migration 1764300029000 over priorities stored the former way: the schema before it (the whole
 * priority object as jsonb on the finding) is put back with the objects the service showed, and
 * up() must carry every one over, so that the API shows the same priority, due date included.
 */
describe('Migrating stored priority objects to decisions made at read', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const openFindings = async (deviceId: string) =>
    ((await t.api().get(`/api/v1/devices/${deviceId}/findings`).expect(200)).body as Array<{ id: string; status: string; priority: unknown }>).filter(
      (f) => f.status === 'open',
    );

  it('shows every finding with the same priority and due date after the upgrade', async () => {
    const described = await seedModel(t, { safetyImpact: 'marginal' });
    const bare = await seedModel(t);
    const devices = [
      await createDevice(t, described.modelId, { firmwareVersion: '1.0', systemExposure: 'small', missionImpact: 'degraded' }),
      await createDevice(t, bare.modelId, { firmwareVersion: '1.0' }),
    ];
    await createAdvisory(t, {
      manufacturerId: described.manufacturerId,
      cvssVector: 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H',
      affected: [{ modelId: described.modelId, versions: '<2.0' }],
    });
    await createAdvisory(t, { manufacturerId: bare.manufacturerId, affected: [{ modelId: bare.modelId, versions: '<2.0' }] });
    const before = [...(await openFindings(devices[0].id)), ...(await openFindings(devices[1].id))];
    expect(before).toHaveLength(2);
    // A described device's local flaw: defer, no due date; an undescribed device: every input assumed, a due date.
    expect(before.map((f) => f.priority)).toEqual([
      expect.objectContaining({ decision: 'defer', dueAt: null, assumed: ['exploitation'] }),
      expect.objectContaining({ dueAt: expect.any(String), assumed: ['exploitation', 'automatable', 'systemExposure', 'safetyImpact', 'missionImpact'] }),
    ]);

    const cells = new DecisionCells1764300030000();
    await replayMigrations(t.app.get(DataSource), {
      // The schema before the migration, holding what the service showed as the stored object
      // (decisions per finding, as before 1764300030000, whose down() puts them back).
      down: [cells],
      before: async (runner) => {
        await runner.query(`ALTER TABLE findings ADD COLUMN priority jsonb`);
        for (const f of before) await runner.query(`UPDATE findings SET priority = $1::jsonb WHERE id = $2`, [JSON.stringify(f.priority), f.id]);
        await runner.query(`ALTER TABLE findings DROP COLUMN device_class`);
        await runner.query(`DROP TABLE advisory_threats`);
      },
      up: [new NarrowFindingPriorities1764300029000(), cells],
    });

    const after = [...(await openFindings(devices[0].id)), ...(await openFindings(devices[1].id))];
    expect(after).toEqual(before);
  });
});
