import { randomUUID } from 'node:crypto';
import { MqttClient } from 'mqtt';
import { DataSource } from 'typeorm';
import { createDevice, seedModel } from './factories/inventory.factory';
import { metricValue } from './support/metrics';
import { connectDevice, eventually, heartbeatTopic, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp, usingRealServices } from './support/test-app';

interface Sighting {
  claimedDeviceId: string;
  reason: string;
  heartbeatCount: number;
  claimedSerial: string | null;
  claimedFirmware: string | null;
}

/**
 * Issue 13, "every rogue-device signal is kept": heartbeats of one device that share a batch
 * (the batcher waits 10 ms for company) and device clocks that run ahead.
 */
describe('heartbeat signals that share a batch, and device clocks', () => {
  let t: TestApp;
  let device: MqttClient;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp();
    device = await connectDevice(t.mqttUrl, { clientId: `dev-${randomUUID().slice(0, 8)}` });
    ({ modelId } = await seedModel(t));
  });
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
  });

  const getDevice = (id: string) =>
    t
      .api()
      .get(`/api/v1/devices/${id}`)
      .expect(200)
      .then((r) => r.body);
  const sightings = async (reason: string): Promise<Sighting[]> =>
    (await t.api().get(`/api/v1/ingest/unknown-devices?reason=${reason}&limit=500`).expect(200)).body;
  /** The device's own time as stored, and when the service last received a heartbeat: not in the API. */
  const presence = async (id: string): Promise<{ sentAt: Date; seenAt: Date }> => {
    const [row] = await t.app
      .get(DataSource)
      .query(`SELECT last_heartbeat_sent_at AS "sentAt", last_seen_at AS "seenAt" FROM device_presence WHERE device_id = $1`, [id]);
    return { sentAt: new Date(row.sentAt), seenAt: new Date(row.seenAt) };
  };
  const metric = async (name: string, labels: Record<string, string>) => metricValue((await t.api().get('/metrics').expect(200)).text, name, labels);

  /**
   * Each device's messages in order, all written at once and not awaited one by one (as
   * `mosquitto_pub -l` does with its lines): they reach the service back to back, in one batch.
   */
  const publishTogether = (messages: Array<[string, unknown]>) => Promise.all(messages.map(([id, payload]) => publishHeartbeat(device, id, payload)));

  /** Several devices at once, so that at least one pair shares a batch even on a loaded machine. */
  const registeredDevices = (n: number, firmwareVersion = '8.01.01') =>
    Promise.all(Array.from({ length: n }, () => createDevice(t, modelId, { firmwareVersion, serialNumber: `REAL-${randomUUID().slice(0, 8)}` })));

  describe('a serial mismatch and a good heartbeat of one device in one batch', () => {
    it('records the mismatch (stored and counted) and applies the good heartbeat sent right after it', async () => {
      const devices = await registeredDevices(4);
      const before = await metric('iomt_unknown_device_heartbeats_total', { reason: 'serial_mismatch' });

      await publishTogether(
        devices.flatMap(
          (d) =>
            [
              [d.id, { firmwareVersion: '6.6.6', serialNumber: 'EVIL-Y6' }],
              [d.id, { firmwareVersion: '8.01.02' }],
            ] as Array<[string, unknown]>,
        ),
      );

      // The good heartbeat was published last: once it shows, the mismatch before it has committed.
      for (const d of devices)
        await eventually(async () => expect(await getDevice(d.id)).toMatchObject({ firmwareVersion: '8.01.02', connectivity: 'online' }));
      const flagged = new Map((await sightings('serial_mismatch')).map((s) => [s.claimedDeviceId, s]));
      for (const d of devices) {
        expect(flagged.get(d.id)).toMatchObject({ heartbeatCount: 1, claimedSerial: 'EVIL-Y6', claimedFirmware: '6.6.6' });
      }
      const added = (await metric('iomt_unknown_device_heartbeats_total', { reason: 'serial_mismatch' })) - before;
      // On a shared real broker, other test runs' mismatches reach this service too.
      if (usingRealServices.broker) expect(added).toBeGreaterThanOrEqual(devices.length);
      else expect(added).toBe(devices.length);
    });

    it('never counts a good heartbeat as a mismatch when the mismatch comes last', async () => {
      const devices = await registeredDevices(4);
      await publishTogether(
        devices.flatMap(
          (d) =>
            [
              [d.id, { firmwareVersion: '8.01.02', serialNumber: d.serialNumber }],
              [d.id, { firmwareVersion: '8.01.03' }],
              [d.id, { firmwareVersion: '6.6.6', serialNumber: 'EVIL-Y6' }],
            ] as Array<[string, unknown]>,
        ),
      );

      const { value: flagged } = await eventually(async () => {
        const mine = (await sightings('serial_mismatch')).filter((s) => devices.some((d) => d.id === s.claimedDeviceId));
        if (mine.length < devices.length) throw new Error(`${mine.length} of ${devices.length} mismatches recorded`);
        return mine;
      });
      expect(flagged.map((s) => s.heartbeatCount)).toEqual(devices.map(() => 1));
      // Committed with the mismatch (same batch or an earlier one): the newest good heartbeat applies.
      for (const d of devices) expect(await getDevice(d.id)).toMatchObject({ firmwareVersion: '8.01.03', connectivity: 'online' });
    });

    it('keeps one sighting per unknown device, counting every heartbeat whatever serial each claimed', async () => {
      const ghosts = [randomUUID(), `not-a-uuid-${randomUUID().slice(0, 8)}`];
      await publishTogether(
        ghosts.flatMap(
          (id) =>
            [
              [id, { firmwareVersion: '6.6.6', serialNumber: 'ROGUE-A' }],
              [id, { firmwareVersion: '6.6.7' }],
              [id, { firmwareVersion: '6.6.8', serialNumber: 'ROGUE-B' }],
            ] as Array<[string, unknown]>,
        ),
      );
      const { value } = await eventually(async () => {
        const mine = (await sightings('not_registered')).filter((s) => ghosts.includes(s.claimedDeviceId));
        if (mine.reduce((n, s) => n + s.heartbeatCount, 0) < 6) throw new Error('not yet');
        return mine;
      });
      expect(value.map((s) => [s.claimedDeviceId, s.heartbeatCount]).sort()).toEqual(ghosts.map((id) => [id, 3]).sort());
    });

    it('records a mismatch even when no good heartbeat of that device shares its batch', async () => {
      const [d] = await registeredDevices(1);
      await publishTogether([
        [d.id, { firmwareVersion: '6.6.6', serialNumber: 'EVIL-A' }],
        [d.id, { firmwareVersion: '6.6.7', serialNumber: 'EVIL-B' }],
      ]);
      const { value } = await eventually(async () => {
        const mine = (await sightings('serial_mismatch')).find((s) => s.claimedDeviceId === d.id);
        if (!mine || mine.heartbeatCount < 2) throw new Error('not yet');
        return mine;
      });
      expect(value.heartbeatCount).toBe(2);
      expect(await getDevice(d.id)).toMatchObject({ firmwareVersion: '8.01.01', lastSeenAt: null });
    });
  });

  describe('a decommissioned device', () => {
    // On an external broker the service cannot end the device's session: it still hears it.
    it('changes nothing when it goes on publishing, and is kept as a sighting', async () => {
      const [d] = await registeredDevices(1);
      await t.api().delete(`/api/v1/devices/${d.id}`).expect(200);
      await publishHeartbeat(device, d.id, { firmwareVersion: '6.6.6' });
      const { value } = await eventually(async () => {
        const mine = (await sightings('not_registered')).find((s) => s.claimedDeviceId === d.id);
        if (!mine) throw new Error('not yet');
        return mine;
      });
      expect(value.heartbeatCount).toBe(1);
      expect(await getDevice(d.id)).toMatchObject({ status: 'decommissioned', firmwareVersion: '8.01.01', lastSeenAt: null });
    });
  });

  describe('sentAt', () => {
    const FOUR_MINUTES = 4 * 60_000;

    it('never stores a sentAt after the receipt, so a device clock ahead does not pin the device', async () => {
      const d = await createDevice(t, modelId, { firmwareVersion: '2.0.0' });
      await publishHeartbeat(device, d.id, { firmwareVersion: '2.0.1', sentAt: new Date(Date.now() + FOUR_MINUTES).toISOString() });
      await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('2.0.1'));
      const stored = await presence(d.id);
      expect(stored.sentAt.getTime()).toBeLessThanOrEqual(stored.seenAt.getTime());

      // The device's clock is corrected: its next heartbeat tells the truth and applies.
      await publishHeartbeat(device, d.id, { firmwareVersion: '2.0.2', sentAt: new Date().toISOString() });
      await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('2.0.2'));
    });

    it('applies the next heartbeat after one whose sentAt was ahead, though the next one claims a moment before that receipt', async () => {
      const d = await createDevice(t, modelId, { firmwareVersion: '4.0.0' });
      const beforeFirst = new Date().toISOString();
      await publishHeartbeat(device, d.id, { firmwareVersion: '4.0.1', sentAt: new Date(Date.now() + FOUR_MINUTES).toISOString() });
      await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('4.0.1'));
      // The stored time is the first one's receipt, which this sentAt precedes: it arrived later, so it is newer.
      await publishHeartbeat(device, d.id, { firmwareVersion: '4.0.2', sentAt: beforeFirst });
      await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('4.0.2'));
      const stored = await presence(d.id);
      expect(stored.sentAt.toISOString()).toBe(beforeFirst);
    });

    it('lets the heartbeat that came later win over one whose sentAt was ahead, in one batch', async () => {
      const devices = await Promise.all([1, 2, 3].map(() => createDevice(t, modelId, { firmwareVersion: '3.0.0' })));
      const now = Date.now();
      await publishTogether(
        devices.flatMap(
          (d) =>
            [
              [d.id, { firmwareVersion: '3.0.1', sentAt: new Date(now + FOUR_MINUTES).toISOString() }],
              [d.id, { firmwareVersion: '3.0.2', sentAt: new Date(now).toISOString() }],
            ] as Array<[string, unknown]>,
        ),
      );
      for (const d of devices) {
        await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('3.0.2'));
        const stored = await presence(d.id);
        expect(stored.sentAt.getTime()).toBeLessThanOrEqual(stored.seenAt.getTime());
      }
    });

    it.each([
      ['February 30', '2025-02-30T10:00:00Z'],
      ['February 29 of a common year', '2023-02-29T00:00:00Z'],
      ['April 31', '2025-04-31T00:00:00+02:00'],
      ['hour 24', '2025-01-01T24:00:00Z'],
      ['an offset of 24 hours', '2025-01-01T12:00:00+24:00'],
    ])('refuses a sentAt on %s as a counted, stored rejection naming the field', async (_name, sentAt) => {
      const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
      const before = await metric('iomt_heartbeats_rejected_total', { reason: 'invalid_field' });
      await publishHeartbeat(device, d.id, { firmwareVersion: '1.0.1', sentAt });
      const { value } = await eventually(async () => {
        const res = await t.api().get('/api/v1/ingest/rejections?reason=invalid_field&limit=1000').expect(200);
        const mine = res.body.items.find((r: { topic: string }) => r.topic === heartbeatTopic(d.id));
        if (!mine) throw new Error('not yet');
        return mine as { detail: string; payload: string };
      });
      expect(value.detail).toMatch(/^sentAt: /);
      expect(value.payload).toContain(sentAt);
      expect((await metric('iomt_heartbeats_rejected_total', { reason: 'invalid_field' })) - before).toBeGreaterThanOrEqual(1);
      expect(await getDevice(d.id)).toMatchObject({ firmwareVersion: '1.0.0', lastSeenAt: null });
    });
  });
});
