import { randomUUID } from 'node:crypto';
import { get as httpGet, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { MqttClient } from 'mqtt';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { connectDevice, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

/** The shortest threshold the service accepts: the sweeper then runs every second. */
const OFFLINE_AFTER_S = 5;

interface Stream {
  res: IncomingMessage;
  events: () => { event: string; data: Record<string, unknown> }[];
  close: () => void;
}

/**
 * The console's live stream as a browser would read it, fed by real MQTT heartbeats through the
 * real ingest path: devices going online and offline, and unknown devices heard.
 */
describe('console event stream: connectivity and rogue sightings', () => {
  let t: TestApp;
  let port: number;
  let modelId: string;
  let manufacturerId: string;
  let mqtt: MqttClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { HEARTBEAT_OFFLINE_AFTER_S: String(OFFLINE_AFTER_S) } });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    ({ modelId, manufacturerId } = await seedModel(t));
    mqtt = await connectDevice(t.mqttUrl);
  });
  afterAll(async () => {
    await mqtt?.endAsync();
    await t?.close();
  });

  function openStream(key: string): Promise<Stream> {
    return new Promise((resolve, reject) => {
      const req = httpGet({ host: '127.0.0.1', port, path: '/api/v1/events/stream', headers: { Authorization: `Bearer ${key}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        const events = () =>
          text
            .split('\n\n')
            .filter((block) => /^data: /m.test(block))
            .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message', data: JSON.parse(/^data: (.*)$/m.exec(block)![1]) }));
        resolve({ res, events, close: () => req.destroy() });
      });
      req.on('error', reject);
    });
  }

  async function waitForEvent(stream: Stream, match: (e: { event: string; data: Record<string, unknown> }) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = stream.events().find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(stream.events())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const names = (id: string) => (e: { data: Record<string, unknown> }) => JSON.stringify(e.data).includes(id);

  it('tells a console when a device comes online on its heartbeat and goes offline after the silence threshold', async () => {
    const stream = await openStream(await createKey(t, 'biomed'));
    try {
      expect(stream.res.statusCode).toBe(200);
      const device = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
      await publishHeartbeat(mqtt, device.id, { firmwareVersion: '1.0.0', sentAt: new Date().toISOString() });
      const online = await waitForEvent(stream, (e) => e.event === 'connectivity' && e.data.connectivity === 'online' && names(device.id)(e), 15_000);
      expect(online.data).toEqual({ type: 'connectivity', deviceIds: [device.id], truncated: false, connectivity: 'online' });
      const offline = await waitForEvent(stream, (e) => e.event === 'connectivity' && e.data.connectivity === 'offline' && names(device.id)(e), 30_000);
      expect(offline.data).toMatchObject({ type: 'connectivity', truncated: false, connectivity: 'offline' });
      expect(offline.data.deviceIds).toContain(device.id);
      expect((await t.api().get(`/api/v1/devices/${device.id}`).expect(200)).body.connectivity).toBe('offline');
    } finally {
      stream.close();
    }
  }, 60_000);

  it('sends a routine heartbeat of a device already online no connectivity event', async () => {
    const stream = await openStream(await createKey(t, 'it'));
    try {
      const device = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
      await publishHeartbeat(mqtt, device.id, { firmwareVersion: '1.0.0', sentAt: new Date().toISOString() });
      await waitForEvent(stream, (e) => e.event === 'connectivity' && names(device.id)(e), 15_000);
      const before = stream.events().filter(names(device.id)).length;
      await publishHeartbeat(mqtt, device.id, { firmwareVersion: '1.0.0', sentAt: new Date().toISOString() });
      // Its commit is visible (last seen moves) before we look again.
      const firstSeen = (await t.api().get(`/api/v1/devices/${device.id}`).expect(200)).body.lastSeenAt;
      const deadline = Date.now() + 5000;
      while ((await t.api().get(`/api/v1/devices/${device.id}`).expect(200)).body.lastSeenAt === firstSeen && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(stream.events().filter(names(device.id)).length).toBe(before);
    } finally {
      stream.close();
    }
  }, 30_000);

  it('tells an it console when an unknown device is heard, naming the id it claimed', async () => {
    const stream = await openStream(await createKey(t, 'it'));
    try {
      const rogue = randomUUID();
      await publishHeartbeat(mqtt, rogue, { firmwareVersion: '6.6.6', serialNumber: 'NOT-OURS', sentAt: new Date().toISOString() });
      await publishHeartbeat(mqtt, rogue, { firmwareVersion: '6.6.6', serialNumber: 'NOT-OURS', sentAt: new Date().toISOString() });
      const sighted = await waitForEvent(stream, (e) => e.event === 'rogues' && names(rogue)(e), 15_000);
      expect(sighted.data).toEqual({ type: 'rogues', claimedDeviceIds: [rogue], truncated: false });
      const listed = await t.api().get('/api/v1/ingest/unknown-devices').expect(200);
      expect(listed.body.map((r: { claimedDeviceId: string }) => r.claimedDeviceId)).toContain(rogue);
    } finally {
      stream.close();
    }
  }, 30_000);

  it('gives a manufacturer no stream at all: it sees no devices, so it receives neither connectivity nor rogue events', async () => {
    const key = await createKey(t, 'manufacturer', manufacturerId);
    const stream = await openStream(key);
    try {
      expect(stream.res.statusCode).toBe(403);
      const device = await createDevice(t, modelId);
      const rogue = randomUUID();
      await publishHeartbeat(mqtt, device.id, { firmwareVersion: '1.0.0', sentAt: new Date().toISOString() });
      await publishHeartbeat(mqtt, rogue, { firmwareVersion: '1.0.0', sentAt: new Date().toISOString() });
      // A console that may see them does get them, so the silence below is not just a slow ingest.
      const witness = await openStream(await createKey(t, 'admin'));
      try {
        await publishHeartbeat(mqtt, rogue, { firmwareVersion: '1.0.1', sentAt: new Date().toISOString() });
        await waitForEvent(witness, (e) => e.event === 'rogues' && names(rogue)(e), 15_000);
      } finally {
        witness.close();
      }
      expect(stream.events()).toEqual([]);
    } finally {
      stream.close();
    }
  }, 30_000);
});
