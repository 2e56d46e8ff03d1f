import { randomUUID } from 'node:crypto';
import { MqttClient } from 'mqtt';
import { DataSource } from 'typeorm';
import { FindingsEngine } from '../src/findings/findings.engine';
import { createAdvisory, openFindings } from './factories/advisory.factory';
import { createDevice, createKey, createModel, seedModel } from './factories/inventory.factory';
import { metricValue } from './support/metrics';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp, usingRealServices } from './support/test-app';

/**
 * The firmware-change path queues a findings recompute only for devices an advisory can touch
 * (migration 1764300028000); findings must stay exactly right whatever the order of device and
 * advisory changes.
 */
describe('findings on the firmware-change path', () => {
  let t: TestApp;
  let device: MqttClient;
  let sentAt = Date.now() - 600_000;

  const heartbeat = async (deviceId: string, firmwareVersion: string): Promise<void> => {
    sentAt += 1000;
    await publishHeartbeat(device, deviceId, { firmwareVersion, sentAt: new Date(sentAt).toISOString() });
    await eventually(async () => expect((await t.api().get(`/api/v1/devices/${deviceId}`).expect(200)).body.firmwareVersion).toBe(firmwareVersion), 5000);
  };
  const recomputed = async (): Promise<number> =>
    metricValue((await t.api().get('/metrics').expect(200)).text, 'iomt_findings_recomputed_total', { kind: 'device' });
  const owed = async (): Promise<number> => Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM findings_recompute_queue`))[0].n);

  beforeAll(async () => {
    t = await startTestApp();
    device = await connectDevice(t.mqttUrl, { clientId: `dev-${randomUUID().slice(0, 8)}` });
  });
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
  });

  it('recomputes nothing for a firmware change on a model no advisory names, and the change is still applied', async () => {
    const { modelId } = await seedModel(t);
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    await eventually(async () => expect(await owed()).toBe(0), 15_000);
    const before = await recomputed();
    await heartbeat(d.id, '1.1.0');
    await heartbeat(d.id, '1.2.0');
    expect(await recomputed()).toBe(before);
    expect(await owed()).toBe(0);
    const history = (await t.api().get(`/api/v1/devices/${d.id}/firmware-history`).expect(200)).body;
    expect(history.map((h: { toVersion: string }) => h.toVersion)).toEqual(['1.0.0', '1.1.0', '1.2.0']);
  });

  it('opens and closes findings on firmware changes of a model with an advisory', async () => {
    const seed = await seedModel(t);
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '1.0.0' });
    const advisory = await createAdvisory(t, {
      manufacturerId: seed.manufacturerId,
      affected: [{ modelId: seed.modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }],
    });
    expect((await openFindings(t, d.id)).map((f) => f.advisoryId)).toEqual([advisory.id]);
    const before = await recomputed();
    await heartbeat(d.id, '2.0.0');
    await eventually(async () => expect(await openFindings(t, d.id)).toEqual([]), 5000);
    await heartbeat(d.id, '1.5.0');
    await eventually(async () => expect((await openFindings(t, d.id)).map((f) => f.advisoryId)).toEqual([advisory.id]), 5000);
    expect(await recomputed()).toBeGreaterThanOrEqual(before + 2);
  });

  it('finds a device whose firmware changed while its model had no advisory once one is posted', async () => {
    const seed = await seedModel(t);
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '3.0.0' });
    await heartbeat(d.id, '1.0.0');
    const advisory = await createAdvisory(t, {
      manufacturerId: seed.manufacturerId,
      affected: [{ modelId: seed.modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }],
    });
    expect((await openFindings(t, d.id)).map((f) => f.advisoryId)).toEqual([advisory.id]);
  });

  it('queues and closes the findings of a device moved to a model no advisory names (it had findings)', async () => {
    const seed = await seedModel(t);
    const other = await createModel(t, seed.manufacturerId);
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '1.0.0' });
    await createAdvisory(t, { manufacturerId: seed.manufacturerId, affected: [{ modelId: seed.modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }] });
    expect(await openFindings(t, d.id)).toHaveLength(1);
    // The API does not move a device between models; an operator's edit in psql does, and the
    // trigger covers every writer. The engine then drains it as the change's event would.
    await t.app.get(DataSource).query(`UPDATE devices SET model_id = $2 WHERE id = $1`, [d.id, other.id]);
    expect(Number((await t.app.get(DataSource).query(`SELECT count(*) AS n FROM findings_recompute_queue WHERE target_id = $1`, [d.id]))[0].n)).toBe(1);
    await t.app.get(FindingsEngine).recomputeDevices([d.id]);
    expect(await openFindings(t, d.id)).toEqual([]);
  });

  it('closes the findings of a withdrawn advisory on the next firmware change too', async () => {
    const seed = await seedModel(t);
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '1.0.0' });
    const advisory = await createAdvisory(t, {
      manufacturerId: seed.manufacturerId,
      affected: [{ modelId: seed.modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }],
    });
    await t.api().post(`/api/v1/advisories/${advisory.id}/withdraw`).send({}).expect(200);
    expect(await openFindings(t, d.id)).toEqual([]);
    await heartbeat(d.id, '1.1.0');
    expect(await openFindings(t, d.id)).toEqual([]);
  });

  it('lets a manufacturer key neither read another maker’s device findings nor write its advisory', async () => {
    const seed = await seedModel(t);
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '1.0.0' });
    const stranger = await seedModel(t);
    const key = await createKey(t, 'manufacturer', stranger.manufacturerId);
    await t
      .api(key)
      .post('/api/v1/advisories')
      .send({ title: 'Probe', manufacturerId: seed.manufacturerId, affected: [{ modelId: seed.modelId, versions: '*' }] })
      .expect(403);
    const res = await t.api(key).get(`/api/v1/devices/${d.id}/findings`);
    expect([403, 404]).toContain(res.status);
  });

  if (usingRealServices.database) {
    it('holds an advisory written while a device change is in flight until that change commits, so its findings see the new firmware', async () => {
      const seed = await seedModel(t);
      const d = await createDevice(t, seed.modelId, { firmwareVersion: '3.0.0' });
      const runner = t.app.get(DataSource).createQueryRunner();
      await runner.connect();
      try {
        await runner.startTransaction();
        // The model has no advisory yet: this change queues nothing, and holds the gate shared.
        await runner.query(`UPDATE devices SET firmware_version = '1.0.0' WHERE id = $1`, [d.id]);
        let answered = false;
        const posting = createAdvisory(t, {
          manufacturerId: seed.manufacturerId,
          affected: [{ modelId: seed.modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }],
        }).then((a) => {
          answered = true;
          return a;
        });
        await new Promise((r) => setTimeout(r, 500));
        expect(answered).toBe(false);
        await runner.commitTransaction();
        const advisory = await posting;
        expect((await openFindings(t, d.id)).map((f) => f.advisoryId)).toEqual([advisory.id]);
      } finally {
        await runner.release();
      }
    });
  } else {
    it('runs every transaction on one connection with the embedded database, so no device change can be in flight during an advisory write', () => {
      expect((t.app.get(DataSource).options as { poolSize?: number }).poolSize).toBe(1);
    });
  }
});
