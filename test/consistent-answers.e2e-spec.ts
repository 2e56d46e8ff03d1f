import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { SeverityUnknownOwnRank1764300017000 } from '../migrations/1764300017000-SeverityUnknownOwnRank';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, seedModel } from './factories/inventory.factory';
import { csafFixture } from './support/fixtures';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

interface ReportRow {
  deviceId: string;
  highestSeverity: string;
  minimumSafeVersion: string | null;
  action: string;
  actionText: string;
  connectivity: string;
  lastSeenAt: string | null;
}

/** Answers of the reports and the CSAF import that must agree with each other. */
describe('answers that agree with each other', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Its own database: the summary counts every device in it.
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const report = async (query = '') => (await t.api().get(`/api/v1/reports/outdated-firmware${query}`).expect(200)).body.items as ReportRow[];
  const csvRows = async (query: string) => {
    const csv = await t.api().get(`/api/v1/reports/outdated-firmware${query}`).set('Accept', 'text/csv').expect(200);
    return parse(csv.text, { columns: true }) as Array<Record<string, string>>;
  };

  describe('severity buckets', () => {
    let highs: string[];
    let unknowns: string[];

    beforeAll(async () => {
      const { manufacturerId, modelId } = await seedModel(t);
      const high = await createDevice(t, modelId, { firmwareVersion: '1.0' });
      const highAndUnknown = await createDevice(t, modelId, { firmwareVersion: '2.0' });
      const unknownOnly = await createDevice(t, modelId, { firmwareVersion: '3.0' });
      const mediumAndUnknown = await createDevice(t, modelId, { firmwareVersion: '4.0' });
      await createAdvisory(t, { manufacturerId, cvssScore: 8.1, affected: [{ modelId, versions: '1.0 || 2.0' }] });
      await createAdvisory(t, { manufacturerId, cvssScore: 5.0, affected: [{ modelId, versions: '4.0' }] });
      // No CVSS score and no severity: the advisory's severity is unknown.
      await createAdvisory(t, { manufacturerId, cvssScore: undefined, affected: [{ modelId, versions: '2.0 || 3.0 || 4.0' }] });
      highs = [high.id, highAndUnknown.id];
      unknowns = [unknownOnly.id, mediumAndUnknown.id];
    });

    it('names a device by its highest known severity, and unknown when an unknown one could be higher', async () => {
      const rows = await report();
      const severityOf = Object.fromEntries(rows.map((r) => [r.deviceId, r.highestSeverity]));
      expect(highs.map((id) => severityOf[id])).toEqual(['high', 'high']);
      expect(unknowns.map((id) => severityOf[id])).toEqual(['unknown', 'unknown']);
    });

    it('counts unknown in its own bucket of the summary, matching the report', async () => {
      const summary = await t.api().get('/api/v1/reports/summary').expect(200);
      expect(summary.body.bySeverity).toEqual({ none: 0, low: 0, medium: 0, high: 2, critical: 0, unknown: 2 });
      expect(summary.body.totals.exposedDevices).toBe(4);
    });

    it('filters ?severity=high to high devices and ?severity=unknown to unknown ones', async () => {
      expect((await report('?severity=high')).map((r) => r.deviceId).sort()).toEqual([...highs].sort());
      expect((await report('?severity=unknown')).map((r) => r.deviceId).sort()).toEqual([...unknowns].sort());
      expect((await report('?severity=medium')).map((r) => r.deviceId)).toEqual([]);
    });

    it('migrates ranks stored on the old scale (unknown and high both 3) to the new one', async () => {
      const db = t.app.get(DataSource);
      const all = [...highs, ...unknowns];
      const ranks = async () =>
        (
          await db.query(
            `SELECT max_severity_rank AS rank FROM device_exposure WHERE device_id = ANY($1::uuid[]) ORDER BY array_position($1::uuid[], device_id)`,
            [all],
          )
        ).map((r: { rank: number }) => r.rank);
      const current = await ranks();
      expect(current).toEqual([4, 4, 3, 3]);
      await db.query(`UPDATE device_exposure SET max_severity_rank = 3 WHERE device_id = ANY($1::uuid[])`, [all]);
      const runner = db.createQueryRunner();
      try {
        await new SeverityUnknownOwnRank1764300017000().up(runner);
      } finally {
        await runner.release();
      }
      expect(await ranks()).toEqual(current);
    });

    it('lists unknown below high and above medium, on every page', async () => {
      const first = await t.api().get('/api/v1/reports/outdated-firmware?limit=2').expect(200);
      expect(first.body.items.map((r: ReportRow) => r.highestSeverity)).toEqual(['high', 'high']);
      const second = await t.api().get(`/api/v1/reports/outdated-firmware?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.items.map((r: ReportRow) => r.highestSeverity)).toEqual(['unknown', 'unknown']);
    });
  });

  describe('minimum safe version', () => {
    it('is null, in JSON, CSV and firmware status, when an all-versions advisory on the device names no fix', async () => {
      const { manufacturerId, modelId } = await seedModel(t);
      const device = await createDevice(t, modelId, { firmwareVersion: '2.0' });
      await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '*' }] });
      await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<3.0', fixedVersion: '3.0' }] });
      const [row] = await report(`?manufacturerId=${manufacturerId}`);
      expect(row).toMatchObject({ deviceId: device.id, minimumSafeVersion: null, action: 'no_fix' });
      expect(row.actionText).toMatch(/^no fix: mitigate or replace/);
      expect(row.actionText).not.toMatch(/safe/);
      const [csv] = await csvRows(`?manufacturerId=${manufacturerId}`);
      expect(csv).toMatchObject({ deviceId: device.id, minimumSafeVersion: '', action: row.actionText });
      const status = await t.api().get(`/api/v1/devices/${device.id}/firmware-status`).expect(200);
      expect(status.body).toMatchObject({ minimumSafeVersion: null, action: 'no_fix' });
    });

    it('is null when an advisory names no fix for a bounded range: no version is known to be safe', async () => {
      const { manufacturerId, modelId } = await seedModel(t);
      const device = await createDevice(t, modelId, { firmwareVersion: '1.0' });
      await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
      await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<=2.5' }] });
      const [row] = await report(`?manufacturerId=${manufacturerId}`);
      expect(row).toMatchObject({ deviceId: device.id, minimumSafeVersion: null, action: 'fix_unknown' });
    });
  });

  describe('connectivity in the outdated-firmware report', () => {
    it('gives each exposed device its connectivity and last heartbeat, in JSON and CSV', async () => {
      const { manufacturerId, modelId } = await seedModel(t);
      const heard = await createDevice(t, modelId, { firmwareVersion: '1.0' });
      const silent = await createDevice(t, modelId, { firmwareVersion: '1.0' });
      await createAdvisory(t, { manufacturerId, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
      const mqtt = await connectDevice(t.mqttUrl);
      await publishHeartbeat(mqtt, heard.id, { firmwareVersion: '1.0' });
      await mqtt.endAsync();
      const { value: seen } = await eventually(async () => {
        const device = await t.api().get(`/api/v1/devices/${heard.id}`).expect(200);
        if (!device.body.lastSeenAt) throw new Error('heartbeat not applied yet');
        return device.body as { lastSeenAt: string };
      }, 5000);

      const rows = Object.fromEntries((await report(`?manufacturerId=${manufacturerId}`)).map((r) => [r.deviceId, r]));
      expect(rows[heard.id]).toMatchObject({ connectivity: 'online', lastSeenAt: seen.lastSeenAt });
      expect(rows[silent.id]).toMatchObject({ connectivity: 'never_seen', lastSeenAt: null });
      const csv = Object.fromEntries((await csvRows(`?manufacturerId=${manufacturerId}`)).map((r) => [r.deviceId, r]));
      expect(csv[heard.id]).toMatchObject({ connectivity: 'online', lastSeenAt: seen.lastSeenAt });
      expect(csv[silent.id]).toMatchObject({ connectivity: 'never_seen', lastSeenAt: '' });
    });
  });

  describe('CSAF import', () => {
    const importDoc = (doc: object) => t.api().post('/api/v1/advisories/csaf').send(doc);

    it('answers 201 for a new advisory and 200 for an unchanged re-import', async () => {
      const doc = csafFixture('icsma-18-142-01');
      const created = await importDoc(doc).expect(201);
      expect(created.body.status).toBe('created');
      const again = await importDoc(doc).expect(200);
      expect(again.body).toMatchObject({ status: 'unchanged', advisoryId: created.body.advisoryId });
    });

    it('answers 415 naming Content-Type to a document sent as text/plain, like the device import', async () => {
      const body = JSON.stringify(csafFixture('icsma-18-123-01'));
      const res = await t.api().post('/api/v1/advisories/csaf').set('Content-Type', 'text/plain').send(body).expect(415);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect(res.body.message).toMatch(/^Content-Type: must be application\/json/);
      expect(res.body.message).toContain('text/plain');
      const devices = await t.api().post('/api/v1/devices/import').set('Content-Type', 'text/plain').send('serialNumber\nx\n').expect(415);
      expect(devices.body.error).toBe(res.body.error);
    });
  });
});
