import { MqttClient } from 'mqtt';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, createModel, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The remediation loop end to end: a critical finding opens an order by itself, nobody can
 * close it by hand, the device's own heartbeat with the fixed firmware closes it with the
 * heartbeat as evidence, and a rollback reopens it.
 */
describe('Work orders', () => {
  let t: TestApp;
  let device: MqttClient;
  let itKey: string;
  let biomedKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    device = await connectDevice(t.mqttUrl);
    itKey = await createKey(t, 'it');
    biomedKey = await createKey(t, 'biomed');
  });
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
  });

  /** A model, a device on `firmware`, and an advisory of `cvssScore` affecting <2.0 fixed in 2.0. */
  async function exposedDevice(cvssScore: number, firmware = '1.0', fields: Record<string, unknown> = {}) {
    const seed = await seedModel(t);
    const d = await createDevice(t, seed.modelId, { firmwareVersion: firmware, department: 'Cardiology', location: 'Ward 3 / Bed 7', ...fields });
    const advisory = await createAdvisory(t, {
      manufacturerId: seed.manufacturerId,
      cvssScore,
      affected: [{ modelId: seed.modelId, versions: '<2.0', fixedVersion: '2.0' }],
    });
    return { ...seed, deviceId: d.id, advisoryId: advisory.id };
  }

  async function ordersOf(deviceId: string, key?: string) {
    const res = await t.api(key).get(`/api/v1/work-orders?deviceId=${deviceId}`).expect(200);
    return res.body.items as Array<Record<string, any>>;
  }

  async function onlyOrder(deviceId: string) {
    const { value } = await eventually(async () => {
      const items = await ordersOf(deviceId);
      if (items.length !== 1) throw new Error(`expected one order, got ${items.length}`);
      return items[0];
    });
    return value;
  }

  describe('the loop', () => {
    it('a critical (fallback: immediate) finding opens an order by itself with the target firmware, due by the policy', async () => {
      const s = await exposedDevice(9.8);
      const order = await onlyOrder(s.deviceId);
      expect(order).toMatchObject({ deviceId: s.deviceId, status: 'open', decision: 'immediate', targetFirmware: '2.0', kind: 'update', origin: 'auto' });
      const findings = await t.api().get(`/api/v1/devices/${s.deviceId}/findings`).expect(200);
      expect(order.findingIds).toEqual([String(findings.body[0].id)]);
      const detected = new Date(findings.body[0].detectedAt).getTime();
      expect(new Date(order.dueAt).getTime()).toBe(detected + 2 * 86_400_000);
    });

    it('a low-severity finding opens no order by itself; a person can open one', async () => {
      const s = await exposedDevice(3.1);
      await new Promise((r) => setTimeout(r, 300));
      expect(await ordersOf(s.deviceId)).toEqual([]);
      const res = await t.api(biomedKey).post('/api/v1/work-orders').send({ deviceId: s.deviceId, notes: 'bundle with the yearly service' }).expect(201);
      expect(res.body.created).toEqual([
        expect.objectContaining({ deviceId: s.deviceId, decision: 'defer', origin: 'manual', notes: 'bundle with the yearly service' }),
      ]);
      const again = await t.api(biomedKey).post('/api/v1/work-orders').send({ deviceId: s.deviceId }).expect(201);
      expect(again.body).toEqual({ created: [], existing: [{ deviceId: s.deviceId, workOrderId: res.body.created[0].id }], skipped: [] });
    });

    it("refuses a person's done (409 naming from and to); the fixed-firmware heartbeat moves it to done within 2 s with the heartbeat as evidence; a rollback reopens it", async () => {
      const s = await exposedDevice(9.1);
      const order = await onlyOrder(s.deviceId);
      const refused = await t.api(biomedKey).patch(`/api/v1/work-orders/${order.id}`).send({ status: 'done' }).expect(409);
      expect(refused.body.message).toMatch(/open -> done/);
      await t
        .api(biomedKey)
        .patch(`/api/v1/work-orders/${order.id}`)
        .send({ status: 'scheduled', maintenanceWindow: { start: '2026-03-02T22:00:00Z', end: '2026-03-03T02:00:00Z' } })
        .expect(200);
      await t.api(biomedKey).patch(`/api/v1/work-orders/${order.id}`).send({ status: 'in_progress' }).expect(200);

      const sentAt = new Date().toISOString();
      const published = Date.now();
      await publishHeartbeat(device, s.deviceId, { firmwareVersion: '2.0', sentAt });
      const { value: done } = await eventually(async () => {
        const res = await t.api().get(`/api/v1/work-orders/${order.id}`).expect(200);
        if (res.body.status !== 'done') throw new Error(`status ${res.body.status}`);
        return res.body;
      }, 2000);
      expect(Date.now() - published).toBeLessThanOrEqual(2000);
      expect(done.evidence).toEqual({ source: 'heartbeat', firmware: '2.0', sentAt, changedAt: expect.any(String), actor: null });
      expect(done.history.map((h: { action: string }) => h.action)).toEqual(['created', 'updated', 'updated', 'verified']);

      await publishHeartbeat(device, s.deviceId, { firmwareVersion: '1.0' });
      const { value: reopened } = await eventually(async () => {
        const res = await t.api().get(`/api/v1/work-orders/${order.id}`).expect(200);
        if (res.body.status !== 'open') throw new Error(`status ${res.body.status}`);
        return res.body;
      }, 2000);
      expect(reopened.statusReason).toMatch(/rollback: the device reports firmware 1\.0 again/);
      expect(reopened.findingIds).toHaveLength(2);
      expect(reopened.evidence).toBeNull();
      expect(await ordersOf(s.deviceId)).toHaveLength(1);
    });

    it('a later finding on the same device joins its open order and raises its decision', async () => {
      const s = await exposedDevice(7.5);
      const first = await onlyOrder(s.deviceId);
      expect(first.decision).toBe('out_of_cycle');
      await createAdvisory(t, { manufacturerId: s.manufacturerId, cvssScore: 9.9, affected: [{ modelId: s.modelId, versions: '<2.5', fixedVersion: '2.5' }] });
      const { value } = await eventually(async () => {
        const items = await ordersOf(s.deviceId);
        if (items.length !== 1 || items[0].findingIds.length !== 2) throw new Error('not joined yet');
        return items[0];
      });
      expect(value).toMatchObject({ id: first.id, decision: 'immediate', targetFirmware: '2.5' });
    });
  });
});
