import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevice, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, heartbeatTopic, publishHeartbeat } from './support/mqtt-device';
import { dropSession, StandaloneBroker, startStandaloneBroker } from './support/standalone-broker';
import { createTestDatabase, dropTestDatabase, startTestApp, TestApp } from './support/test-app';

/**
 * Restarts of the service against a broker and a database that outlive it. On Mosquitto the
 * service subscribes through a shared subscription, as replicas do in production; Aedes has no
 * `$share`, so there it subscribes directly (as the service does on its embedded broker).
 */
describe('heartbeat ingestion across service restarts', () => {
  let broker: StandaloneBroker;
  let databaseUrl: string | null;
  // PGlite keeps a database across restarts only on disk.
  let dataDir: string | null = null;
  const sessions: string[] = [];
  const sharedGroup = `iomt-e2e-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    broker = await startStandaloneBroker();
    databaseUrl = await createTestDatabase();
    if (!databaseUrl) dataDir = mkdtempSync(join(tmpdir(), 'iomt-restart-'));
  });
  afterAll(async () => {
    for (const clientId of sessions) await dropSession(broker.url, clientId).catch(() => undefined);
    await broker?.close();
    await dropTestDatabase(databaseUrl);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A fresh MQTT session id, dropped from the broker after the file. */
  const newSession = () => {
    const clientId = `iomt-e2e-${randomUUID().slice(0, 8)}`;
    sessions.push(clientId);
    return clientId;
  };

  const boot = (clientId: string): Promise<TestApp> =>
    startTestApp({
      databaseUrl: databaseUrl ?? undefined,
      env: {
        MQTT_URL: broker.url,
        MQTT_CLIENT_ID: clientId,
        ...(broker.real ? { MQTT_SHARED_GROUP: sharedGroup } : {}),
        ...(dataDir ? { DATA_DIR: dataDir } : {}),
      },
    });

  const getDevice = (t: TestApp, id: string) =>
    t
      .api()
      .get(`/api/v1/devices/${id}`)
      .expect(200)
      .then((r) => r.body);

  it('stores every QoS 1 heartbeat queued for its persistent session while it was down', async () => {
    const session = newSession();
    const before = await boot(session);
    const { modelId } = await seedModel(before);
    const devices: Array<{ id: string }> = [];
    for (let i = 0; i < 20; i++) devices.push(await createDevice(before, modelId, { firmwareVersion: '1.0.0' }));
    await before.close();

    const publisher = await connectDevice(broker.url);
    for (const d of devices) await publishHeartbeat(publisher, d.id, { firmwareVersion: '1.1.0' });
    await publisher.endAsync();

    // The broker hands the queue over right after CONNACK, before any SUBSCRIBE.
    const after = await boot(session);
    try {
      const { value } = await eventually(async () => {
        const bodies = await Promise.all(devices.map((d) => getDevice(after, d.id)));
        if (bodies.some((b) => !b.lastSeenAt)) throw new Error('not all heartbeats stored yet');
        return bodies;
      }, 5000);
      expect(value.map((b) => b.firmwareVersion)).toEqual(devices.map(() => '1.1.0'));
    } finally {
      await after.close();
    }
  });

  it('rejects a retained heartbeat replayed at subscribe as retained and does not mark the device seen', async () => {
    const before = await boot(newSession());
    const { modelId } = await seedModel(before);
    const d = await createDevice(before, modelId, { firmwareVersion: '1.0.0' });
    await before.close();

    // Brokers clear the retain flag on live delivery (MQTT 3.1.1, 3.3.1.3): only a new
    // subscription, as at the next boot with a fresh session, sees the flag.
    const publisher = await connectDevice(broker.url);
    await publisher.publishAsync(heartbeatTopic(d.id), JSON.stringify({ firmwareVersion: '9.9.9' }), { qos: 1, retain: true });
    const after = await boot(newSession());
    try {
      const { value } = await eventually(async () => {
        const res = await after.api().get('/api/v1/ingest/rejections?reason=retained').expect(200);
        const mine = res.body.items.find((r: { topic: string }) => r.topic === heartbeatTopic(d.id));
        if (!mine) throw new Error('not yet');
        return mine;
      }, 5000);
      expect(value).toMatchObject({ reason: 'retained', payload: JSON.stringify({ firmwareVersion: '9.9.9' }) });
      const metrics = await after.api().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/iomt_heartbeats_rejected_total\{reason="retained"\} 1\b/);
      expect(await getDevice(after, d.id)).toMatchObject({ lastSeenAt: null, firmwareVersion: '1.0.0' });
    } finally {
      await after.close();
      // An empty retained payload deletes the retained message: leave the broker clean.
      await publisher.publishAsync(heartbeatTopic(d.id), '', { qos: 1, retain: true });
      await publisher.endAsync();
    }
  });
});
