import { randomUUID } from 'node:crypto';
import { MqttClient } from 'mqtt';
import { createAdvisory } from './factories/advisory.factory';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

/** Booting an app (PGlite initdb, migrations) on a loaded 2-core machine can take longer than a test. */
const BOOT_MS = 180_000;

interface EventBody {
  id: string;
  type: string;
  deviceId: string | null;
  severity: string;
  detectedAt: string;
  details: Record<string, unknown>;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

describe('security events detected from real heartbeats and findings', () => {
  let t: TestApp;
  let seed: { manufacturerId: string; modelId: string };
  let device: MqttClient;

  beforeAll(async () => {
    t = await startTestApp();
    seed = await seedModel(t);
    device = await connectDevice(t.mqttUrl);
  }, BOOT_MS);
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
  });

  const eventsOf = async (query: string, key?: string): Promise<EventBody[]> =>
    (await t.api(key).get(`/api/v1/security-events?${query}`).expect(200)).body.items;
  const eventuallyEvents = async (query: string, count = 1): Promise<EventBody[]> =>
    (
      await eventually(async () => {
        const items = await eventsOf(query);
        expect(items).toHaveLength(count);
        return items;
      }, 5000)
    ).value;
  const heartbeatApplied = async (deviceId: string, firmwareVersion: string) =>
    eventually(async () => expect((await t.api().get(`/api/v1/devices/${deviceId}`)).body.firmwareVersion).toBe(firmwareVersion), 5000);

  it('stores firmware_downgrade, high, for a heartbeat that lowers the firmware, and only once when the same firmware is heard again', async () => {
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '2.4.1' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '2.3.0' });
    const [event] = await eventuallyEvents(`deviceId=${d.id}&type=firmware_downgrade`);
    expect(event).toMatchObject({
      type: 'firmware_downgrade',
      deviceId: d.id,
      severity: 'high',
      details: { fromVersion: '2.4.1', toVersion: '2.3.0' },
      acknowledgedBy: null,
    });

    await publishHeartbeat(device, d.id, { firmwareVersion: '2.3.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '2.3.1' });
    await heartbeatApplied(d.id, '2.3.1');
    expect(await eventsOf(`deviceId=${d.id}`)).toHaveLength(1);
  });

  it('stores no downgrade when the versions are not comparable', async () => {
    const d = await createDevice(t, seed.modelId, { firmwareVersion: 'L82' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '028U000061' });
    await heartbeatApplied(d.id, '028U000061');
    expect(await eventsOf(`deviceId=${d.id}`)).toEqual([]);
  });

  it('stores firmware_not_released when the model has a release catalog without the reported version', async () => {
    const { modelId } = await seedModel(t);
    await t.api().post(`/api/v1/models/${modelId}/firmware-releases`).send({ version: '5.0' }).expect(201);
    await t.api().post(`/api/v1/models/${modelId}/firmware-releases`).send({ version: '5.1' }).expect(201);
    const d = await createDevice(t, modelId, { firmwareVersion: '5.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '5.1.7' });
    const [event] = await eventuallyEvents(`deviceId=${d.id}`);
    expect(event).toMatchObject({ type: 'firmware_not_released', severity: 'medium', details: { version: '5.1.7', fromVersion: '5.0', catalogSize: 2 } });
  });

  it('stores unknown_device at the first sighting of an id, and biomed does not see it', async () => {
    const stranger = randomUUID();
    await publishHeartbeat(device, stranger, { firmwareVersion: '1.0', ipAddress: '10.1.2.3' });
    await publishHeartbeat(device, stranger, { firmwareVersion: '1.0', ipAddress: '10.1.2.3' });
    // A shared broker carries other clients' heartbeats too: only this id's events count here.
    const mine = async () => (await eventsOf('type=unknown_device&limit=500')).filter((e) => e.details.claimedDeviceId === stranger);
    await eventually(async () => expect(await mine()).toHaveLength(1), 5000);
    // Both heartbeats are in the sighting; the event was raised for the first only.
    await eventually(
      async () =>
        expect(
          (await t.api().get('/api/v1/ingest/unknown-devices').expect(200)).body.find((u: { claimedDeviceId: string }) => u.claimedDeviceId === stranger),
        ).toMatchObject({
          heartbeatCount: 2,
        }),
      5000,
    );
    expect(await mine()).toEqual([
      expect.objectContaining({
        deviceId: null,
        severity: 'medium',
        details: { claimedDeviceId: stranger, firmwareVersion: '1.0', serialNumber: null, ipAddress: '10.1.2.3' },
      }),
    ]);
    const biomed = await createKey(t, 'biomed');
    expect(await eventsOf('type=unknown_device', biomed)).toEqual([]);
  });

  it('stores decommissioned_device_heard for a heartbeat of a decommissioned device', async () => {
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '1.0' });
    await t.api().delete(`/api/v1/devices/${d.id}`).expect(200);
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0' });
    const [event] = await eventuallyEvents(`deviceId=${d.id}`);
    expect(event).toMatchObject({ type: 'decommissioned_device_heard', severity: 'high', deviceId: d.id });
  });

  it('stores serial_mismatch for a heartbeat claiming another serial', async () => {
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '1.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0', serialNumber: 'CLONE-1' });
    const [event] = await eventuallyEvents(`deviceId=${d.id}`);
    expect(event).toMatchObject({ type: 'serial_mismatch', severity: 'high', details: { serialNumber: 'CLONE-1' } });
  });

  it('stores address_changed when a device reports a new address', async () => {
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '1.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0', ipAddress: '10.0.0.1', sentAt: new Date(Date.now() - 2000).toISOString() });
    // Two heartbeats of one batch fold into the newer one: the first must be committed on its own.
    await eventually(async () => expect((await t.api().get(`/api/v1/devices/${d.id}`)).body.ipAddress).toBe('10.0.0.1'), 5000);
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0', ipAddress: '10.0.0.2', sentAt: new Date(Date.now() - 1000).toISOString() });
    const [event] = await eventuallyEvents(`deviceId=${d.id}`);
    expect(event).toMatchObject({ type: 'address_changed', severity: 'low', details: { from: '10.0.0.1', to: '10.0.0.2' } });
  });

  it('stores exposure_opened for a newly opened finding at or above high severity, not for a medium one below the decision threshold', async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    // A small exposure: an unexploited CVE is `scheduled`, below the default decision threshold (out_of_cycle).
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0', systemExposure: 'small' });
    await createAdvisory(t, { manufacturerId, title: 'medium one', cvssScore: 5.0, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
    const high = await createAdvisory(t, { manufacturerId, title: 'high one', cvssScore: 8.1, affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }] });
    const [event] = await eventuallyEvents(`deviceId=${d.id}&type=exposure_opened`);
    expect(event).toMatchObject({
      severity: 'high',
      details: { advisoryId: high.id, advisoryTitle: 'high one', advisorySeverity: 'high', fixedVersion: '2.0' },
    });
    expect(await eventsOf(`deviceId=${d.id}`)).toHaveLength(1);
  });

  it("stores exposure_opened when a medium finding's SSVC decision rises to the threshold: an analyst says its CVE is exploited", async () => {
    const { manufacturerId, modelId } = await seedModel(t);
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0', systemExposure: 'small' });
    const cve = `CVE-2026-${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
    await createAdvisory(t, {
      manufacturerId,
      title: 'medium, exploited',
      cves: [cve],
      cvssScore: 5.0,
      affected: [{ modelId, versions: '<2.0', fixedVersion: '2.0' }],
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await eventsOf(`deviceId=${d.id}&type=exposure_opened`)).toEqual([]);

    await t.api().patch(`/api/v1/vulnerabilities/${cve}`).send({ exploitation: 'active', note: 'seen in the wild' }).expect(200);
    // SSVC deployer row 55: active, small, automatable (assumed), very high -> out_of_cycle.
    const [event] = await eventuallyEvents(`deviceId=${d.id}&type=exposure_opened`);
    expect(event).toMatchObject({ severity: 'medium', details: { advisoryTitle: 'medium, exploited', advisorySeverity: 'medium', decision: 'out_of_cycle' } });
  });

  it('pages newest first by cursor and filters by since and acknowledgement', async () => {
    const d = await createDevice(t, seed.modelId, { firmwareVersion: '9.0' });
    for (const [i, v] of ['8.0', '7.0', '6.0'].entries()) {
      await publishHeartbeat(device, d.id, { firmwareVersion: v, sentAt: new Date(Date.now() - 10_000 + i * 1000).toISOString() });
      await heartbeatApplied(d.id, v);
    }
    const all = await eventsOf(`deviceId=${d.id}`);
    expect(all.map((e) => e.details.toVersion)).toEqual(['6.0', '7.0', '8.0']);
    const first = await t.api().get(`/api/v1/security-events?deviceId=${d.id}&limit=2`).expect(200);
    expect(first.body.items.map((e: EventBody) => e.id)).toEqual([all[0].id, all[1].id]);
    const second = await t.api().get(`/api/v1/security-events?deviceId=${d.id}&limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items.map((e: EventBody) => e.id)).toEqual([all[2].id]);
    expect(second.body.nextCursor).toBeNull();
    expect(await eventsOf(`deviceId=${d.id}&since=${new Date(Date.now() + 60_000).toISOString()}`)).toEqual([]);

    const it_ = await createKey(t, 'it');
    const acked = await t.api(it_).post(`/api/v1/security-events/${all[1].id}/acknowledge`).expect(200);
    expect(acked.body).toMatchObject({ id: all[1].id, acknowledgedBy: expect.any(String), acknowledgedAt: expect.any(String) });
    expect((await eventsOf(`deviceId=${d.id}&unacknowledged=true`)).map((e) => e.id)).toEqual([all[0].id, all[2].id]);
    const again = await t.api().post(`/api/v1/security-events/${all[1].id}/acknowledge`).expect(409);
    expect(again.body.message).toMatch(/already acknowledged/);
    const audit = await t.api().get(`/api/v1/audit?entityId=${all[1].id}&action=acknowledge`).expect(200);
    expect(JSON.stringify(audit.body)).toContain('security_event');
  });

  it('answers 400 naming the field for bad filters, 404 for an unknown event', async () => {
    const bad: Array<[string, RegExp]> = [
      ['type=bogus', /type/],
      ['deviceId=not-a-uuid', /deviceId/],
      ['since=yesterday', /since/],
      ['unacknowledged=maybe', /unacknowledged/],
      ['limit=0', /limit/],
      ['cursor=garbage', /cursor/],
      [`cursor=${Buffer.from(JSON.stringify(['security-events', '1; DROP TABLE x'])).toString('base64url')}`, /cursor/],
    ];
    for (const [query, field] of bad) {
      const res = await t.api().get(`/api/v1/security-events?${query}`).expect(400);
      expect(res.body.message).toMatch(field);
    }
    await t.api().post('/api/v1/security-events/abc/acknowledge').expect(400);
    await t.api().post('/api/v1/security-events/999999999/acknowledge').expect(404);
  });

  it('refuses manufacturers the events, and biomed the acknowledgement', async () => {
    const vendor = await createKey(t, 'manufacturer', seed.manufacturerId);
    await t.api(vendor).get('/api/v1/security-events').expect(403);
    const biomed = await createKey(t, 'biomed');
    await t.api(biomed).get('/api/v1/security-events').expect(200);
    const [any] = await eventsOf('limit=1');
    await t.api(biomed).post(`/api/v1/security-events/${any.id}/acknowledge`).expect(403);
    await t.api(vendor).post(`/api/v1/security-events/${any.id}/acknowledge`).expect(403);
    await t.http().get('/api/v1/security-events').expect(401);
  });
});

// Always the embedded broker here: its per-device topic rule is what this proves.
describe('security events: a device publishing for another device', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { MQTT_URL: '', MQTT_ALLOW_ANONYMOUS: 'false' } });
  }, BOOT_MS);
  afterAll(async () => {
    await t?.close();
  });

  it("cannot plant a downgrade on another device's record: the broker drops the publish", async () => {
    const { modelId } = await seedModel(t);
    const attacker = await createDevice(t, modelId, { firmwareVersion: '3.0' });
    const victim = await createDevice(t, modelId, { firmwareVersion: '3.0' });
    const creds = (await t.api().post(`/api/v1/devices/${attacker.id}/credentials`).expect(201)).body;
    const client = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    void publishHeartbeat(client, victim.id, { firmwareVersion: '1.0' }).catch(() => undefined);
    await closed;
    await client.endAsync(true).catch(() => undefined);
    // A marker heartbeat published after the refusal: once it is applied, the refused one would have been too.
    const marker = (await t.api().post(`/api/v1/devices/${attacker.id}/credentials`).expect(201)).body;
    const honest = await connectDevice(t.mqttUrl, { username: marker.username, password: marker.password });
    await publishHeartbeat(honest, attacker.id, { firmwareVersion: '2.0' });
    await honest.endAsync();
    await eventually(async () => expect((await t.api().get(`/api/v1/security-events?deviceId=${attacker.id}`)).body.items).toHaveLength(1), 5000);
    expect((await t.api().get(`/api/v1/security-events?deviceId=${victim.id}`).expect(200)).body.items).toEqual([]);
    expect((await t.api().get(`/api/v1/devices/${victim.id}`)).body.firmwareVersion).toBe('3.0');
  });
});
