import { DataSource } from 'typeorm';
import { SEVERITY_RANK_SQL } from '../src/advisories/severity';
import { createAdvisory, openFindings } from './factories/advisory.factory';
import { createDevice, createKey, createManufacturer, createModel, seedModel } from './factories/inventory.factory';
import { eventually } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

describe('native advisories and findings', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Registers one device per firmware on a fresh model, publishes the advisory, returns who is exposed. */
  async function exposedBy(versions: string, firmwares: Array<string | null>, fixedVersion?: string) {
    const { manufacturerId, modelId } = await seedModel(t);
    const devices: Array<{ id: string; firmwareVersion: string | null }> = [];
    for (const fw of firmwares) devices.push(await createDevice(t, modelId, fw === null ? {} : { firmwareVersion: fw }));
    const advisory = await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions, fixedVersion }] });
    const exposed: Array<string | null> = [];
    for (const d of devices) if ((await openFindings(t, d.id)).some((f) => f.advisoryId === advisory.id)) exposed.push(d.firmwareVersion);
    return { exposed, advisory, devices, modelId, manufacturerId };
  }

  it.each([
    ['<2.4.1', ['2.4.0', '2.4.1', '2.5.0', '1.0'], ['2.4.0', '1.0']],
    ['>=1.0.0 <2.0.0', ['0.9.9', '1.0.0', '1.9.9', '2.0.0'], ['1.0.0', '1.9.9']],
    ['<=3.1 || >=4.0 <4.2', ['3.1', '3.2', '4.0', '4.1.9', '4.2'], ['3.1', '4.0', '4.1.9']],
    ['vers:generic/>=1.0|<2.3', ['0.9', '1.0', '2.2.9', '2.3'], ['1.0', '2.2.9']],
    ['*', ['0.1', '99.0'], ['0.1', '99.0']],
    ['2.4.1', ['2.4.0', '2.4.1', '2.4.2'], ['2.4.1']],
    ['<8.01.00', ['8.00.01', '8.01.00', '8.1.0'], ['8.00.01']],
  ])('flags exactly the devices whose firmware is in %s', async (versions, firmwares, expected) => {
    const { exposed } = await exposedBy(versions, firmwares, undefined);
    expect(exposed.sort()).toEqual([...expected].sort());
  });

  it('rejects a range it cannot read with a 400 that shows it', async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    const res = await t
      .api()
      .post('/api/v1/advisories')
      .send({ manufacturerId, title: 'x', affected: [{ modelId, versions: '<May 2018' }] })
      .expect(400);
    expect(res.body.message).toMatch(/^affected\[0\]\.versions: cannot read "<May 2018"/);
    const fixed = await t
      .api()
      .post('/api/v1/advisories')
      .send({ manufacturerId, title: 'x', affected: [{ modelId, versions: '<2.0', fixedVersion: 'the next one' }] })
      .expect(400);
    expect(fixed.body.message).toContain('affected[0].fixedVersion');
  });

  it('rejects a model of another manufacturer, an unknown model, a bad CVE and a missing affected list', async () => {
    const a = await seedModel(t);
    const b = await seedModel(t);
    const other = await t
      .api()
      .post('/api/v1/advisories')
      .send({ manufacturerId: a.manufacturerId, title: 'x', affected: [{ modelId: b.modelId, versions: '*' }] })
      .expect(400);
    expect(other.body.message).toBe(`affected[0].modelId: manufacturer ${a.manufacturerId} has no device model ${b.modelId}`);
    const unknown = await t
      .api()
      .post('/api/v1/advisories')
      .send({ manufacturerId: a.manufacturerId, title: 'x', affected: [{ modelId: '00000000-0000-4000-8000-000000000000', versions: '*' }] })
      .expect(400);
    expect(unknown.body.message).toBe(`affected[0].modelId: manufacturer ${a.manufacturerId} has no device model 00000000-0000-4000-8000-000000000000`);
    const cve = await t
      .api()
      .post('/api/v1/advisories')
      .send({ manufacturerId: a.manufacturerId, title: 'x', cves: ['CVE-12'], affected: [{ modelId: a.modelId, versions: '*' }] })
      .expect(400);
    expect(cve.body.message).toContain('cves:');
    const empty = await t.api().post('/api/v1/advisories').send({ manufacturerId: a.manufacturerId, title: 'x', affected: [] }).expect(400);
    expect(empty.body.message).toContain('affected:');
  });

  it('puts devices with no firmware, or firmware of another shape, in exposure-unknown and not in the report', async () => {
    const { devices, advisory } = await exposedBy('<2.0.0', ['1.0.0', null, 'L81']);
    const [known, noFirmware, otherShape] = devices;
    const unknown = await t.api().get('/api/v1/reports/exposure-unknown').expect(200);
    const mine = unknown.body.filter((u: { advisoryId: string }) => u.advisoryId === advisory.id);
    expect(mine.map((u: { deviceId: string; reason: string }) => [u.deviceId, u.reason]).sort()).toEqual(
      [
        [noFirmware.id, 'no_firmware'],
        [otherShape.id, 'not_comparable'],
      ].sort(),
    );
    const report = await t.api().get('/api/v1/reports/outdated-firmware?limit=1000').expect(200);
    const ids = report.body.items.map((i: { deviceId: string }) => i.deviceId);
    expect(ids).toContain(known.id);
    expect(ids).not.toContain(noFirmware.id);
    expect(ids).not.toContain(otherShape.id);
  });

  it('resolves a finding when the firmware leaves the range by an edit, and keeps it as history', async () => {
    const { devices, advisory } = await exposedBy('<2.4.1', ['2.0.0'], '2.4.1');
    const d = devices[0];
    await t.api().patch(`/api/v1/devices/${d.id}`).send({ firmwareVersion: '2.4.1' }).expect(200);
    await eventually(async () => expect(await openFindings(t, d.id)).toEqual([]));
    const all = await t.api().get(`/api/v1/devices/${d.id}/findings`).expect(200);
    expect(all.body).toEqual([
      expect.objectContaining({ advisoryId: advisory.id, status: 'resolved', resolution: 'firmware_changed', firmwareAtDetection: '2.0.0' }),
    ]);
  });

  it('opens a finding for a device registered after the advisory', async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    const advisory = await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<5', fixedVersion: '5.0' }] });
    const d = await createDevice(t, modelId, { firmwareVersion: '4.2' });
    await eventually(async () => expect((await openFindings(t, d.id)).map((f) => f.advisoryId)).toEqual([advisory.id]));
  });

  it('resolves findings on withdrawal and reports the advisory affecting nobody', async () => {
    const { devices, advisory } = await exposedBy('*', ['1.0', '2.0']);
    const before = await t.api().get(`/api/v1/advisories/${advisory.id}`).expect(200);
    expect(before.body.affectedDevices).toBe(2);
    await t.api().post(`/api/v1/advisories/${advisory.id}/withdraw`).expect(200);
    for (const d of devices) expect(await openFindings(t, d.id)).toEqual([]);
    const after = await t.api().get(`/api/v1/advisories/${advisory.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'withdrawn', affectedDevices: 0 });
    const history = await t.api().get(`/api/v1/findings?advisoryId=${advisory.id}`).expect(200);
    expect(history.body.items.map((f: { resolution: string }) => f.resolution)).toEqual(['advisory_withdrawn', 'advisory_withdrawn']);
  });

  it('revises an advisory: the range change re-evaluates findings and the old revision is kept', async () => {
    const { devices, advisory, modelId } = await exposedBy('<2.0', ['1.5', '2.5']);
    await t
      .api()
      .patch(`/api/v1/advisories/${advisory.id}`)
      .send({ affected: [{ modelId, versions: '<3.0', fixedVersion: '3.0' }], cvssScore: 9.8 })
      .expect(200);
    expect((await openFindings(t, devices[1].id)).map((f) => f.fixedVersion)).toEqual(['3.0']);
    expect((await openFindings(t, devices[0].id)).map((f) => f.fixedVersion)).toEqual(['3.0']);
    const details = await t.api().get(`/api/v1/advisories/${advisory.id}`).expect(200);
    expect(details.body).toMatchObject({ revision: 2, severity: 'critical', cvssScore: 9.8, affectedDevices: 2 });
    const revisions = await t.api().get(`/api/v1/advisories/${advisory.id}/revisions`).expect(200);
    expect(revisions.body).toEqual([
      expect.objectContaining({ revision: 1, snapshot: expect.objectContaining({ affected: [expect.objectContaining({ versions: '<2.0' })] }) }),
    ]);
  });

  it('checks a revision with the rules of creation: a CVSS vector that is not one is a 400 naming it', async () => {
    const { advisory, manufacturerId } = await exposedBy('<2.0', ['1.5']);
    const res = await t.api().patch(`/api/v1/advisories/${advisory.id}`).send({ cvssVector: 'not a vector' }).expect(400);
    expect(res.body.message).toContain('cvssVector: must be a CVSS v3 vector');
    // The owner is fixed at creation: a revision may not name one, not even the same.
    await t.api().patch(`/api/v1/advisories/${advisory.id}`).send({ manufacturerId }).expect(400);
  });

  it('lists every exposed device with its minimum safe version (the highest fix) in JSON and CSV', async () => {
    const { manufacturerId, modelId } = await seedModel(t, { name: 'Report Pump' });
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0', department: 'Oncology', location: 'B2' });
    await createAdvisory(t, { manufacturerId, cves: ['CVE-2026-0001'], cvssScore: 5.0, affected: [{ modelId, versions: '<1.5', fixedVersion: '1.5' }] });
    await createAdvisory(t, { manufacturerId, cves: ['CVE-2026-0002'], cvssScore: 9.1, affected: [{ modelId, versions: '<2.1', fixedVersion: '2.1' }] });
    const report = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}`).expect(200);
    expect(report.body.items).toHaveLength(1);
    expect(report.body.items[0]).toMatchObject({
      deviceId: d.id,
      firmwareVersion: '1.0',
      department: 'Oncology',
      highestCvss: 9.1,
      highestSeverity: 'critical',
      minimumSafeVersion: '2.1',
      action: 'update',
      actionText: 'update to 2.1 or later',
      daysExposed: 0,
    });
    expect(report.body.items[0].advisories.map((a: { cves: string[] }) => a.cves[0])).toEqual(['CVE-2026-0002', 'CVE-2026-0001']);
    const csv = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}`).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe(
      'deviceId,serialNumber,assetTag,manufacturer,model,modelNumber,category,location,department,firmwareVersion,connectivity,lastSeenAt,advisories,cves,highestCvss,highestSeverity,minimumSafeVersion,action,daysExposed,decision,dueAt,inKev,highestEpss,acceptedAdvisories,acceptedUntil,acceptanceReasons',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',2.1,update to 2.1 or later,0');
    const critical = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}&severity=low,medium`).expect(200);
    expect(critical.body.items).toEqual([]);
    const summary = await t.api().get('/api/v1/reports/summary').expect(200);
    expect(summary.body.byDepartment).toEqual(expect.arrayContaining([expect.objectContaining({ department: 'Oncology' })]));
    expect(summary.body.totals.exposedDevices).toBeGreaterThanOrEqual(1);
  });

  it('leaves decommissioned devices out of the report', async () => {
    const { devices, manufacturerId } = await exposedBy('*', ['1.0']);
    await t.api().delete(`/api/v1/devices/${devices[0].id}`).expect(200);
    await eventually(async () => {
      const report = await t.api().get(`/api/v1/reports/outdated-firmware?manufacturerId=${manufacturerId}`).expect(200);
      expect(report.body.items).toEqual([]);
    });
  });

  it('stays consistent when firmware changes and an advisory arrives at the same time', async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    const devices: Array<{ id: string }> = [];
    for (let i = 0; i < 10; i++) devices.push(await createDevice(t, modelId, { firmwareVersion: '1.0' }));
    await Promise.all([
      ...devices.map((d, i) =>
        t
          .api()
          .patch(`/api/v1/devices/${d.id}`)
          .send({ firmwareVersion: i % 2 ? '3.0' : '1.1' })
          .expect(200),
      ),
      createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] }),
    ]);
    await eventually(async () => {
      for (const [i, d] of devices.entries()) expect((await openFindings(t, d.id)).length).toBe(i % 2 ? 0 : 1);
    }, 5000);
  });

  describe('the per-device exposure summary', () => {
    /** Summaries that differ from an aggregate of the open findings, computed afresh (none: []). */
    async function driftedSummaries(): Promise<unknown[]> {
      return t.app.get(DataSource).query(
        `WITH fresh AS (
           SELECT f.device_id, count(*)::int AS open_findings, COALESCE(max(a.cvss_score), -1) AS max_cvss,
                  max(${SEVERITY_RANK_SQL}) AS max_severity_rank,
                  min(f.detected_at) AS first_detected_at
             FROM findings f JOIN advisories a ON a.id = f.advisory_id WHERE f.status = 'open' GROUP BY f.device_id)
         SELECT COALESCE(e.device_id, fresh.device_id) AS device_id, to_jsonb(e) AS stored, to_jsonb(fresh) AS fresh
           FROM device_exposure e FULL JOIN fresh ON fresh.device_id = e.device_id
          WHERE e.device_id IS NULL OR fresh.device_id IS NULL
             OR (e.open_findings, e.max_cvss, e.max_severity_rank, e.first_detected_at) IS DISTINCT FROM
                (fresh.open_findings, fresh.max_cvss, fresh.max_severity_rank, fresh.first_detected_at)`,
      );
    }

    it('matches the open findings through new advisories (added to it), a revision and a withdrawal (recomputed)', async () => {
      const { manufacturerId, modelId } = await seedModel(t);
      const old = await createDevice(t, modelId, { firmwareVersion: '1.0' });
      const newer = await createDevice(t, modelId, { firmwareVersion: '2.5' });
      const severe = await createAdvisory(t, { manufacturerId, cvssScore: 9.1, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
      expect(await driftedSummaries()).toEqual([]);
      // A milder advisory on a device already exposed: its count grows, its highest score stays.
      const mild = await createAdvisory(t, { manufacturerId, cvssScore: 4.0, affected: [{ modelId, versions: '<3.0', fixedVersion: '3.0' }] });
      expect(await driftedSummaries()).toEqual([]);
      const rows: Array<{ device_id: string; open_findings: number; max_cvss: string }> = await t.app
        .get(DataSource)
        .query(`SELECT device_id, open_findings, max_cvss FROM device_exposure WHERE device_id = ANY($1::uuid[]) ORDER BY open_findings DESC`, [
          [old.id, newer.id],
        ]);
      expect(rows).toEqual([
        { device_id: old.id, open_findings: 2, max_cvss: '9.1' },
        { device_id: newer.id, open_findings: 1, max_cvss: '4.0' },
      ]);
      await t.api().patch(`/api/v1/advisories/${mild.id}`).send({ cvssScore: 2.0 }).expect(200);
      expect(await driftedSummaries()).toEqual([]);
      await t.api().post(`/api/v1/advisories/${severe.id}/withdraw`).expect(200);
      expect(await driftedSummaries()).toEqual([]);
      // Withdrawn and published again as a new advisory on the same devices.
      await createAdvisory(t, { manufacturerId, cvssScore: 7.5, affected: [{ modelId, versions: '<2.0' }] });
      expect(await driftedSummaries()).toEqual([]);
    });
  });

  describe('roles', () => {
    it('confines a manufacturer to its own advisories', async () => {
      const mine = await seedModel(t);
      const theirs = await seedModel(t);
      const vendor = await createKey(t, 'manufacturer', mine.manufacturerId);
      const own = await createAdvisory(t, { manufacturerId: mine.manufacturerId, affected: [{ modelId: mine.modelId, versions: '*' }] }, vendor);
      await t
        .api(vendor)
        .post('/api/v1/advisories')
        .send({ manufacturerId: theirs.manufacturerId, title: 'x', affected: [{ modelId: theirs.modelId, versions: '*' }] })
        .expect(403);
      const foreign = await createAdvisory(t, { manufacturerId: theirs.manufacturerId, affected: [{ modelId: theirs.modelId, versions: '*' }] });
      await t.api(vendor).patch(`/api/v1/advisories/${foreign.id}`).send({ title: 'hijack' }).expect(403);
      await t.api(vendor).post(`/api/v1/advisories/${foreign.id}/withdraw`).expect(403);
      await t.api(vendor).get(`/api/v1/advisories/${foreign.id}`).expect(404);
      const list = await t.api(vendor).get('/api/v1/advisories').expect(200);
      expect(list.body.map((a: { id: string }) => a.id)).toEqual([own.id]);
      await t.api(vendor).get('/api/v1/reports/outdated-firmware').expect(403);
      await t.api(vendor).get('/api/v1/findings').expect(403);
    });

    it('lets biomed and it read advisories and reports but not publish', async () => {
      const { manufacturerId, modelId } = await seedModel(t);
      for (const role of ['biomed', 'it']) {
        const key = await createKey(t, role);
        await t
          .api(key)
          .post('/api/v1/advisories')
          .send({ manufacturerId, title: 'x', affected: [{ modelId, versions: '*' }] })
          .expect(403);
        await t.api(key).get('/api/v1/advisories').expect(200);
        await t.api(key).get('/api/v1/reports/outdated-firmware').expect(200);
        await t.api(key).get('/api/v1/reports/summary').expect(200);
      }
    });
  });

  describe('firmware releases', () => {
    it('counts how many releases a device is behind', async () => {
      const m = await createManufacturer(t);
      const model = await createModel(t, m.id);
      const vendor = await createKey(t, 'manufacturer', m.id);
      for (const [version, securityFix] of [
        ['1.0', false],
        ['1.1', true],
        ['1.2', false],
      ] as const) {
        await t.api(vendor).post(`/api/v1/models/${model.id}/firmware-releases`).send({ version, securityFix }).expect(201);
      }
      await t.api(vendor).post(`/api/v1/models/${model.id}/firmware-releases`).send({ version: '1.2' }).expect(409);
      const d = await createDevice(t, model.id, { firmwareVersion: '1.0' });
      const status = await t.api().get(`/api/v1/devices/${d.id}/firmware-status`).expect(200);
      expect(status.body).toMatchObject({ firmwareVersion: '1.0', latestRelease: '1.2', releasesBehind: 2, securityReleasesBehind: 1 });
      const other = await seedModel(t);
      await t.api(vendor).post(`/api/v1/models/${other.modelId}/firmware-releases`).send({ version: '9' }).expect(404);
    });
  });
});
