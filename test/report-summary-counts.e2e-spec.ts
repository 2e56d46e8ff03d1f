import { DataSource } from 'typeorm';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, createManufacturer, createModel } from './factories/inventory.factory';
import { eventually } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

interface Summary {
  totals: { exposedDevices: number; openFindings: number; exposureUnknownDevices: number; kevExposedDevices: number };
  bySeverity: Record<string, number>;
  byManufacturer: Array<{ id: string; name: string; devices: number; findings: number }>;
  byDepartment: Array<{ department: string | null; devices: number; findings: number }>;
  byModel: Array<{ id: string; name: string; modelNumber: string; manufacturer: string; devices: number; findings: number }>;
}

/**
 * The summary reads counts kept beside device_exposure (migrations 1764300031000-1), not the
 * devices themselves: these tests move devices under it and check it follows at once.
 */
describe('Report summary: counts that follow the devices', () => {
  let t: TestApp;
  let db: DataSource;
  let itKey: string;
  let manufacturerKey: string;
  let manufacturerId: string;
  let pumps: { id: string };
  let monitors: { id: string };
  const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
  const icu = `ICU ${tag}`;
  const radiology = `Radiology ${tag}`;
  const oncology = `Oncology ${tag}`;
  const ids = { a: '', b: '', c: '' };

  const summary = async (): Promise<Summary> => (await t.api(itKey).get('/api/v1/reports/summary').expect(200)).body;
  const departments = (s: Summary) => Object.fromEntries(s.byDepartment.map((d) => [d.department, d.devices]));
  const models = (s: Summary) => Object.fromEntries(s.byModel.map((m) => [m.id, m.devices]));

  /**
   * The summary's groups as the join of device_exposure with devices computes them (what the
   * summary read before its counts were kept): the counts must never drift from it.
   */
  async function countedFromDevices(): Promise<{ departments: Record<string, number>; models: Record<string, number>; exposed: number; findings: number }> {
    const base = `FROM device_exposure e JOIN devices d ON d.id = e.device_id AND d.status <> 'decommissioned'`;
    const deps: Array<{ department: string; devices: number }> = await db.query(`SELECT d.department, count(*)::int AS devices ${base} GROUP BY 1`);
    const mods: Array<{ id: string; devices: number }> = await db.query(`SELECT d.model_id AS id, count(*)::int AS devices ${base} GROUP BY 1`);
    const [totals]: Array<{ exposed: number; findings: number }> = await db.query(
      `SELECT count(*)::int AS exposed, COALESCE(sum(e.open_findings), 0)::int AS findings ${base}`,
    );
    return {
      departments: Object.fromEntries(deps.map((d) => [d.department, d.devices])),
      models: Object.fromEntries(mods.map((m) => [m.id, m.devices])),
      exposed: totals.exposed,
      findings: totals.findings,
    };
  }

  async function expectNoDrift(): Promise<void> {
    const s = await summary();
    const fresh = await countedFromDevices();
    expect({ departments: departments(s), models: models(s), exposed: s.totals.exposedDevices, findings: s.totals.openFindings }).toEqual(fresh);
  }

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    itKey = await createKey(t, 'it');
    manufacturerId = (await createManufacturer(t)).id;
    manufacturerKey = await createKey(t, 'manufacturer', manufacturerId);
    pumps = await createModel(t, manufacturerId, { name: `Pump ${tag}`, modelNumber: `PMP-${tag}` });
    monitors = await createModel(t, manufacturerId, { name: `Monitor ${tag}`, modelNumber: `MON-${tag}` });
    ids.a = (await createDevice(t, pumps.id, { firmwareVersion: '1.0', department: icu })).id;
    ids.b = (await createDevice(t, pumps.id, { firmwareVersion: '1.0', department: icu })).id;
    ids.c = (await createDevice(t, monitors.id, { firmwareVersion: '1.0', department: radiology })).id;
    await createAdvisory(t, { manufacturerId, cvssScore: 9.8, affected: [{ modelId: pumps.id, versions: '<2.0', fixedVersion: '2.0' }] });
    await createAdvisory(t, { manufacturerId, cvssScore: 5.0, affected: [{ modelId: monitors.id, versions: '<2.0', fixedVersion: '2.0' }] });
    await eventually(async () => expect((await summary()).totals.exposedDevices).toBe(3), 10_000);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('counts the exposed devices by department, model, manufacturer and severity', async () => {
    const s = await summary();
    expect(s.totals).toEqual({ exposedDevices: 3, openFindings: 3, exposureUnknownDevices: 0, kevExposedDevices: 0 });
    expect(departments(s)).toEqual({ [icu]: 2, [radiology]: 1 });
    expect(models(s)).toEqual({ [pumps.id]: 2, [monitors.id]: 1 });
    expect(s.byManufacturer).toEqual([{ id: manufacturerId, name: expect.any(String), devices: 3, findings: 3 }]);
    expect(s.bySeverity).toMatchObject({ critical: 2, medium: 1 });
    await expectNoDrift();
  });

  it('refuses a manufacturer the summary', async () => {
    await t.api(manufacturerKey).get('/api/v1/reports/summary').expect(403);
  });

  it('moves a device to its new department in the very next summary', async () => {
    await t.api().patch(`/api/v1/devices/${ids.a}`).send({ department: oncology }).expect(200);
    expect(departments(await summary())).toEqual({ [icu]: 1, [oncology]: 1, [radiology]: 1 });
    await expectNoDrift();
  });

  it('moves a device whose model changes (a writer other than the API: the API does not change models)', async () => {
    await db.query(`UPDATE devices SET model_id = $2 WHERE id = $1`, [ids.b, monitors.id]);
    expect(models(await summary())).toEqual({ [pumps.id]: 1, [monitors.id]: 2 });
    await expectNoDrift();
  });

  it('drops a decommissioned device from every count at once, before its findings are closed', async () => {
    await t.api().delete(`/api/v1/devices/${ids.c}`).expect(200);
    const s = await summary();
    expect(s.totals.exposedDevices).toBe(2);
    expect(departments(s)).toEqual({ [icu]: 1, [oncology]: 1 });
    expect(models(s)).toEqual({ [pumps.id]: 1, [monitors.id]: 1 });
    expect(s.byManufacturer).toEqual([{ id: manufacturerId, name: expect.any(String), devices: 2, findings: 2 }]);
    await expectNoDrift();
  });

  it('counts a device whose exposure cannot be decided until it is decommissioned', async () => {
    const unknown = await createDevice(t, pumps.id, { department: icu });
    await eventually(async () => expect((await summary()).totals.exposureUnknownDevices).toBe(1), 10_000);
    await t.api().delete(`/api/v1/devices/${unknown.id}`).expect(200);
    expect((await summary()).totals).toEqual({ exposedDevices: 2, openFindings: 2, exposureUnknownDevices: 0, kevExposedDevices: 0 });
  });

  it('answers twenty requests at once with the same summary', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => t.api(itKey).get('/api/v1/reports/summary')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(answers[0].body.totals.exposedDevices).toBe(2);
  });
});
