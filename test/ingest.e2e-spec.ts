import { randomUUID } from 'node:crypto';
import { MqttClient } from 'mqtt';
import { DataSource } from 'typeorm';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { RejectionReason } from '../src/ingest/heartbeat-message';
import { metricValue } from './support/metrics';
import { connectDevice, eventually, heartbeatTopic, publishHeartbeat } from './support/mqtt-device';
import { appOnOwnBroker } from './support/app-on-own-broker';
import { startTestApp, TestApp, usingRealServices } from './support/test-app';

describe('heartbeat ingestion over MQTT', () => {
  let t: TestApp;
  let device: MqttClient;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { HEARTBEAT_OFFLINE_AFTER_S: '5' } });
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

  it('makes a heartbeat visible through the API within 2 s', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const published = Date.now();
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0.0', batteryPercent: 81, ipAddress: '10.1.2.3' });
    const { value } = await eventually(async () => {
      const body = await getDevice(d.id);
      if (!body.lastSeenAt) throw new Error('not yet');
      return body;
    });
    expect(Date.now() - published).toBeLessThan(2000);
    expect(value).toMatchObject({ connectivity: 'online', batteryPercent: 81, ipAddress: '10.1.2.3', firmwareVersion: '1.0.0' });
  });

  it('records a firmware change from a heartbeat in the history with source heartbeat', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.2.0' });
    await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('1.2.0'));
    const history = await t.api().get(`/api/v1/devices/${d.id}/firmware-history`).expect(200);
    expect(history.body.map((h: { toVersion: string; source: string }) => [h.toVersion, h.source])).toEqual([
      ['1.0.0', 'registration'],
      ['1.2.0', 'heartbeat'],
    ]);
  });

  it('does not roll back state for a heartbeat older than the stored one', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const now = Date.now();
    await publishHeartbeat(device, d.id, { firmwareVersion: '2.0.0', sentAt: new Date(now).toISOString(), batteryPercent: 50 });
    await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('2.0.0'));
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0.0', sentAt: new Date(now - 60_000).toISOString(), batteryPercent: 99 });
    // One client's messages are handled in order: once a later marker heartbeat is applied, the
    // stale one has been handled too. Had it been applied, the history would show 1.0.0.
    await publishHeartbeat(device, d.id, { firmwareVersion: '2.0.0', sentAt: new Date().toISOString(), batteryPercent: 51 });
    await eventually(async () => expect((await getDevice(d.id)).batteryPercent).toBe(51));
    expect(await getDevice(d.id)).toMatchObject({ firmwareVersion: '2.0.0' });
    const history = await t.api().get(`/api/v1/devices/${d.id}/firmware-history`).expect(200);
    expect(history.body.map((h: { toVersion: string }) => h.toVersion)).toEqual(['1.0.0', '2.0.0']);
  });

  it('keeps the newest of several heartbeats of one device that arrive together', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const base = Date.now() - 10_000;
    await Promise.all(
      [3, 1, 4, 2].map((i) => publishHeartbeat(device, d.id, { firmwareVersion: `1.0.${i}`, sentAt: new Date(base + i * 1000).toISOString() })),
    );
    await eventually(async () => expect((await getDevice(d.id)).firmwareVersion).toBe('1.0.4'));
  });

  it.each([
    ['malformed JSON', '{"firmwareVersion": ', 'not_json'],
    ['a missing firmwareVersion', JSON.stringify({ batteryPercent: 3 }), 'invalid_field'],
    ['a wrongly typed battery', JSON.stringify({ firmwareVersion: '1', batteryPercent: 'full' }), 'invalid_field'],
    ['an invalid IP address', JSON.stringify({ firmwareVersion: '1', ipAddress: '999.1.1.1' }), 'invalid_field'],
    ['a sentAt far in the future', JSON.stringify({ firmwareVersion: '1', sentAt: '2999-01-01T00:00:00Z' }), 'sent_at_in_future'],
    ['a payload over 8 KiB', JSON.stringify({ firmwareVersion: '1', pad: 'x'.repeat(9000) }), 'too_large'],
  ])('rejects %s, counts it in /metrics and keeps it with its reason', async (_name, payload, reason) => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    await publishHeartbeat(device, d.id, payload);
    const { value } = await eventually(async () => {
      const res = await t.api().get(`/api/v1/ingest/rejections?reason=${reason}`).expect(200);
      const mine = res.body.items.find((r: { topic: string }) => r.topic === heartbeatTopic(d.id));
      if (!mine) throw new Error('not yet');
      return mine;
    });
    expect(value).toMatchObject({ reason, detail: expect.any(String) });
    const metrics = await t.api().get('/metrics').expect(200);
    expect(metrics.text).toMatch(new RegExp(`iomt_heartbeats_rejected_total\\{reason="${reason}"\\} [1-9]`));
    expect((await getDevice(d.id)).lastSeenAt).toBeNull();
  });

  it('keeps heartbeats from unknown devices as sightings instead of dropping them', async () => {
    const ghost = randomUUID();
    await publishHeartbeat(device, ghost, { firmwareVersion: '6.6.6', serialNumber: 'ROGUE-1', ipAddress: '10.9.9.9' });
    await publishHeartbeat(device, ghost, { firmwareVersion: '6.6.7', serialNumber: 'ROGUE-1' });
    const { value } = await eventually(async () => {
      const res = await t.api().get('/api/v1/ingest/unknown-devices?reason=not_registered').expect(200);
      const mine = res.body.find((s: { claimedDeviceId: string; heartbeatCount: number }) => s.claimedDeviceId === ghost && s.heartbeatCount === 2);
      if (!mine) throw new Error('not yet');
      return mine;
    });
    expect(value).toMatchObject({ claimedSerial: 'ROGUE-1', ipAddress: '10.9.9.9', heartbeatCount: 2 });
  });

  it('flags a heartbeat whose serial differs from the registered one and does not apply it', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0', serialNumber: `REAL-${randomUUID().slice(0, 6)}` });
    await publishHeartbeat(device, d.id, { firmwareVersion: '9.9.9', serialNumber: 'IMPOSTOR' });
    await eventually(async () => {
      const res = await t.api().get('/api/v1/ingest/unknown-devices?reason=serial_mismatch').expect(200);
      expect(res.body.find((s: { claimedDeviceId: string }) => s.claimedDeviceId === d.id)).toMatchObject({ claimedSerial: 'IMPOSTOR' });
    });
    expect(await getDevice(d.id)).toMatchObject({ firmwareVersion: '1.0.0', lastSeenAt: null });
  });

  it('marks a silent device offline after HEARTBEAT_OFFLINE_AFTER_S and filters on connectivity', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0.0' });
    await eventually(async () => expect((await getDevice(d.id)).connectivity).toBe('online'));
    const online = await t.api().get(`/api/v1/devices?modelId=${modelId}&connectivity=online`).expect(200);
    expect(online.body.items.map((x: { id: string }) => x.id)).toContain(d.id);
    await eventually(async () => expect((await getDevice(d.id)).connectivity).toBe('offline'), 9000, 250);
    const offline = await t.api().get(`/api/v1/devices?modelId=${modelId}&connectivity=offline`).expect(200);
    expect(offline.body.items.map((x: { id: string }) => x.id)).toContain(d.id);
    const metrics = await t.api().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/iomt_connectivity_transitions_total\{to="offline"\} [1-9]/);

    // Back: the next heartbeat brings it online again (its last-seen time is older than half the
    // threshold, so the batch re-reads the inventory row under lock).
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0.0' });
    await eventually(async () => expect((await getDevice(d.id)).connectivity).toBe('online'));
  });

  it('keeps the inventory record as it is for a routine heartbeat, and sorts by last seen', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '3.0.0' });
    const never = await createDevice(t, modelId, { firmwareVersion: '3.0.0' });
    const heartbeatWithBattery = async (batteryPercent: number) => {
      await publishHeartbeat(device, d.id, { firmwareVersion: '3.0.0', batteryPercent });
      const { value } = await eventually(async () => {
        const body = await getDevice(d.id);
        if (body.batteryPercent !== batteryPercent) throw new Error('not yet');
        return body;
      });
      return value;
    };
    const first = await heartbeatWithBattery(70);
    const second = await heartbeatWithBattery(69);
    // Presence moved on; the inventory record (what a person edits) did not.
    expect(new Date(second.lastSeenAt).getTime()).toBeGreaterThanOrEqual(new Date(first.lastSeenAt).getTime());
    expect(second.updatedAt).toBe(first.updatedAt);

    // Most recently seen first, never-seen devices last; one device per page across the cursor.
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await t
        .api()
        .get('/api/v1/devices')
        .query({ modelId, sort: 'lastSeenAt', order: 'desc', limit: 1, ...(cursor ? { cursor } : {}) })
        .expect(200);
      ids.push(...page.body.items.map((x: { id: string }) => x.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(ids[0]).toBe(d.id);
    expect(ids.indexOf(never.id)).toBeGreaterThan(ids.indexOf(d.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lets it read rejections and unknown devices but not manufacturers', async () => {
    const itKey = await createKey(t, 'it');
    await t.api(itKey).get('/api/v1/ingest/rejections').expect(200);
    await t.api(itKey).get('/api/v1/ingest/unknown-devices').expect(200);
    const { manufacturerId } = await seedModel(t);
    const vendor = await createKey(t, 'manufacturer', manufacturerId);
    await t.api(vendor).get('/api/v1/ingest/rejections').expect(403);
    await t.api(vendor).get('/api/v1/ingest/unknown-devices').expect(403);
  });

  it('rejects a serial PostgreSQL cannot store, and the other devices of that batch still commit', async () => {
    // U+0000 is valid JSON but no PostgreSQL text: taken, it failed the whole batch on every retry
    // and so stopped all ingest.
    const [poisoned, other] = [await createDevice(t, modelId, { firmwareVersion: '1.0.0' }), await createDevice(t, modelId, { firmwareVersion: '1.0.0' })];
    await Promise.all([
      publishHeartbeat(device, poisoned.id, JSON.stringify({ firmwareVersion: '1.0.1', serialNumber: 'SN-\u0000-1' })),
      publishHeartbeat(device, other.id, { firmwareVersion: '1.0.2' }),
    ]);
    await eventually(async () => expect(await getDevice(other.id)).toMatchObject({ firmwareVersion: '1.0.2', connectivity: 'online' }));
    const { value: stored } = await eventually(async () => {
      const res = await t.api().get('/api/v1/ingest/rejections?limit=1000').expect(200);
      const found = res.body.items.find((r: { topic: string }) => r.topic === heartbeatTopic(poisoned.id));
      if (!found) throw new Error('rejection not stored yet');
      return found as { reason: string; detail: string; payload: string };
    });
    expect(stored).toMatchObject({ reason: 'invalid_field', detail: 'serialNumber: must be a string of 1-100 characters without control characters' });
    expect(stored.payload).toContain('SN-\\u0000-1');
    expect((await getDevice(poisoned.id)).firmwareVersion).toBe('1.0.0');
  });

  it('stores a heartbeat the database refuses as an unstorable rejection, and commits the rest of its batch', async () => {
    // Validation should leave nothing for the database to refuse; this constraint stands in for
    // whatever it misses next, so the safety net itself is proven.
    const db = t.app.get(DataSource);
    await db.query(`ALTER TABLE device_presence ADD CONSTRAINT test_refuses_ip CHECK (ip_address IS DISTINCT FROM '192.0.2.13')`);
    try {
      const [refused, other] = [await createDevice(t, modelId, { firmwareVersion: '1.0.0' }), await createDevice(t, modelId, { firmwareVersion: '1.0.0' })];
      const before = metricValue((await t.api().get('/metrics').expect(200)).text, 'iomt_heartbeats_rejected_total', { reason: 'unstorable' });
      await Promise.all([
        publishHeartbeat(device, refused.id, { firmwareVersion: '1.0.1', ipAddress: '192.0.2.13' }),
        publishHeartbeat(device, other.id, { firmwareVersion: '1.0.2', ipAddress: '192.0.2.14' }),
      ]);
      await eventually(async () => expect(await getDevice(other.id)).toMatchObject({ firmwareVersion: '1.0.2', ipAddress: '192.0.2.14' }));
      const { value: stored } = await eventually(async () => {
        const res = await t.api().get('/api/v1/ingest/rejections?reason=unstorable&limit=1000').expect(200);
        const found = res.body.items.find((r: { topic: string }) => r.topic === heartbeatTopic(refused.id));
        if (!found) throw new Error('rejection not stored yet');
        return found as { detail: string; payload: string };
      });
      expect(stored.detail).toMatch(/^the database refused it \(SQLSTATE 23514\): .*test_refuses_ip/);
      expect(JSON.parse(stored.payload)).toMatchObject({ firmwareVersion: '1.0.1', ipAddress: '192.0.2.13' });
      expect(await getDevice(refused.id)).toMatchObject({ firmwareVersion: '1.0.0', connectivity: 'never_seen' });
      const after = metricValue((await t.api().get('/metrics').expect(200)).text, 'iomt_heartbeats_rejected_total', { reason: 'unstorable' });
      expect(after - before).toBe(1);
    } finally {
      await db.query(`ALTER TABLE device_presence DROP CONSTRAINT test_refuses_ip`);
    }
  });

  it('rejects every bad heartbeat of a burst with its reason and count, and applies the good one sent right after', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const bad: Array<[RejectionReason, string]> = [
      ['not_json', '{"firmwareVersion": "1.0.1"'],
      ['invalid_field', JSON.stringify({ batteryPercent: 40 })],
      ['invalid_field', JSON.stringify({ firmwareVersion: 102 })],
      ['invalid_field', JSON.stringify({ firmwareVersion: '1.0.3', sentAt: 1764300000 })],
      ['too_large', JSON.stringify({ firmwareVersion: '1.0.4', notes: 'x'.repeat(8 * 1024) })],
      ['sent_at_in_future', JSON.stringify({ firmwareVersion: '1.0.5', sentAt: new Date(Date.now() + 86_400_000).toISOString() })],
      ['invalid_field', JSON.stringify({ firmwareVersion: '1.0.7', serialNumber: 'SN-\u001b[31m' })],
    ];
    const reasons = [...new Set(bad.map(([reason]) => reason))];
    const rejected = (text: string) => reasons.map((reason) => metricValue(text, 'iomt_heartbeats_rejected_total', { reason }));
    const before = rejected((await t.api().get('/metrics').expect(200)).text);

    // Not awaited one by one: the burst and the good heartbeat reach the service back to back,
    // so they share a batch, where one bad message must not sink the rest.
    await Promise.all([...bad.map(([, payload]) => publishHeartbeat(device, d.id, payload)), publishHeartbeat(device, d.id, { firmwareVersion: '1.4.0' })]);

    await eventually(async () => expect(await getDevice(d.id)).toMatchObject({ firmwareVersion: '1.4.0', connectivity: 'online' }));
    const { value: mine } = await eventually(async () => {
      const res = await t.api().get('/api/v1/ingest/rejections?limit=1000').expect(200);
      const found = res.body.items.filter((r: { topic: string }) => r.topic === heartbeatTopic(d.id));
      if (found.length < bad.length) throw new Error(`${found.length} of ${bad.length} rejections stored`);
      return found as Array<{ reason: string; detail: string }>;
    });
    expect(mine.map((r) => r.reason).sort()).toEqual(bad.map(([reason]) => reason).sort());
    expect(mine.find((r) => r.detail.startsWith('sentAt: must'))).toBeDefined();
    expect(mine.filter((r) => r.detail.startsWith('firmwareVersion: is required'))).toHaveLength(2);
    expect(mine.filter((r) => r.detail.startsWith('serialNumber: must'))).toHaveLength(1);

    const after = rejected((await t.api().get('/metrics').expect(200)).text);
    const added = reasons.map((_, i) => after[i] - before[i]);
    const expected = reasons.map((reason) => bad.filter(([r]) => r === reason).length);
    // On a shared real broker, other test runs' bad heartbeats reach this service too.
    if (usingRealServices.broker) added.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(expected[i]));
    else expect(added).toEqual(expected);
  });
});

/**
 * A broker restart, on a broker the test controls (a test cannot restart the machine's
 * Mosquitto). Aedes keeps sessions in memory, so the restarted broker knows nothing of the
 * service: it must notice, reconnect and subscribe again on its own.
 */
describe('heartbeat ingestion across a broker restart', () => {
  const suite = appOnOwnBroker();
  const health = async (status: number) => (await suite.t.http().get('/health').expect(status)).body.details.mqtt.status;

  it('reports the broker down, reconnects when it is back, and applies the next heartbeat', async () => {
    const { t, broker } = suite;
    const { modelId } = await seedModel(t);
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    expect(await health(200)).toBe('up');

    await broker.stop();
    await eventually(async () => expect(await health(503)).toBe('down'), 5000, 50);
    await broker.start();
    // MQTT.js retries every second (reconnectPeriod in mqtt-connection.ts).
    await eventually(async () => expect(await health(200)).toBe('up'), 10_000, 50);

    const device = await connectDevice(broker.url, { clientId: `dev-${randomUUID().slice(0, 8)}` });
    try {
      await publishHeartbeat(device, d.id, { firmwareVersion: '1.1.0' });
      await eventually(async () => {
        const res = await t.api().get(`/api/v1/devices/${d.id}`).expect(200);
        expect(res.body).toMatchObject({ firmwareVersion: '1.1.0', connectivity: 'online' });
      });
    } finally {
      await device.endAsync();
    }
  });
});
