import { hostname } from 'node:os';
import { connect, connectAsync, MqttClient } from 'mqtt';
import { CONNECT_TIMEOUT_MS, DEFAULT_MAX_PACKET_BYTES, MAX_PENDING_PER_ADDRESS } from '../src/mqtt/connection-limits';
import { EmbeddedBroker } from '../src/mqtt/embedded-broker';
import { EMBEDDED_BROKER } from '../src/mqtt/mqtt.module';
import { MqttConnection } from '../src/mqtt/mqtt-connection';
import { createDevice, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, heartbeatTopic, publishHeartbeat } from './support/mqtt-device';
import { CONNECT, fixedHeader, idleConnection, streamPacket } from './support/raw-mqtt';
import { startTestApp, TestApp } from './support/test-app';

const MiB = 1024 * 1024;

/** Resolves when the client's connection ends, or rejects after `ms`: the positive signal a kick gives. */
function closedWithin(client: MqttClient, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected) return resolve();
    const timer = setTimeout(() => reject(new Error(`connection still open after ${ms} ms`)), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// Always the embedded broker: these are its defences (Mosquitto's are its own configuration).
describe('the embedded broker under hostile clients', () => {
  let t: TestApp;
  let modelId: string;
  let port: number;

  beforeAll(async () => {
    // The service's default, predictable client id (iomt-service-<hostname>), as in production.
    t = await startTestApp({ env: { MQTT_URL: '', MQTT_ALLOW_ANONYMOUS: 'false', MQTT_CLIENT_ID: '' } });
    ({ modelId } = await seedModel(t));
    port = t.app.get<EmbeddedBroker>(EMBEDDED_BROKER).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  const issue = async (deviceId: string): Promise<{ username: string; password: string }> =>
    (await t.api().post(`/api/v1/devices/${deviceId}/credentials`).expect(201)).body;

  const deviceWithCredentials = async (firmwareVersion = '1.0') => {
    const device = await createDevice(t, modelId, { firmwareVersion });
    return { device, creds: await issue(device.id) };
  };

  const firmwareOf = async (deviceId: string) => (await t.api().get(`/api/v1/devices/${deviceId}`).expect(200)).body.firmwareVersion;

  describe('packet size and what a client costs before it logs in', () => {
    it('cuts off unauthenticated clients streaming a 200 MB CONNECT at once, and the process does not grow', async () => {
      const clients = 4;
      const wouldSend = 48 * MiB;
      global.gc?.();
      const baseline = process.memoryUsage.rss();
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
      try {
        const results = await Promise.all(Array.from({ length: clients }, () => streamPacket(port, fixedHeader(CONNECT, 200 * MiB), wouldSend)));
        for (const r of results) {
          expect(r).toMatchObject({ closedByBroker: true });
          // What the client got into the kernel's socket buffers before the broker's close reached it.
          expect(r.sentBytes).toBeLessThan(wouldSend / 2);
          expect(r.ms).toBeLessThan(3000);
        }
      } finally {
        clearInterval(sampler);
      }
      const grewMb = (peak - baseline) / MiB;
      expect(grewMb).toBeLessThan(32);
      await t.http().get('/health').expect(200);
    });

    it('cuts off a CONNECT just over the packet limit, even one carrying valid credentials', async () => {
      const { creds } = await deviceWithCredentials();
      const client = connect(t.mqttUrl, {
        reconnectPeriod: 0,
        connectTimeout: 5000,
        username: creds.username,
        password: creds.password,
        clientId: 'x'.repeat(DEFAULT_MAX_PACKET_BYTES),
      });
      client.on('error', () => undefined);
      const outcome = await new Promise<string>((resolve) => {
        client.once('connect', () => resolve('connected'));
        client.once('close', () => resolve('closed'));
      });
      await client.endAsync(true);
      expect(outcome).toBe('closed');
    });

    it('disconnects an authenticated device that publishes a packet over the limit; a heartbeat under it is still recorded', async () => {
      const { device, creds } = await deviceWithCredentials('1.0');
      const client = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
      const closed = closedWithin(client, 3000);
      client.publish(heartbeatTopic(device.id), JSON.stringify({ firmwareVersion: '6.6.6', pad: 'x'.repeat(MiB) }), { qos: 1 }, () => undefined);
      await closed;
      await client.endAsync(true).catch(() => undefined);

      const ok = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
      await publishHeartbeat(ok, device.id, { firmwareVersion: '1.1' });
      await ok.endAsync();
      await eventually(async () => expect(await firmwareOf(device.id)).toBe('1.1'));
    });

    it(`refuses more than ${MAX_PENDING_PER_ADDRESS} connections from one address that have not logged in yet`, async () => {
      const idle = await Promise.all(Array.from({ length: MAX_PENDING_PER_ADDRESS }, () => idleConnection(port)));
      try {
        const extra = await idleConnection(port);
        expect(await extra.closed).toBeLessThan(1000);
      } finally {
        idle.forEach((c) => c.socket.destroy());
        await Promise.all(idle.map((c) => c.closed));
      }
      // The slots are free again once those connections are gone.
      const { creds } = await deviceWithCredentials();
      const client = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
      await client.endAsync();
    });

    it(
      'closes a connection that sends no CONNECT within the connect timeout',
      async () => {
        const idle = await idleConnection(port);
        const openMs = await idle.closed;
        expect(openMs).toBeGreaterThanOrEqual(CONNECT_TIMEOUT_MS - 100);
        expect(openMs).toBeLessThan(CONNECT_TIMEOUT_MS + 2000);
      },
      CONNECT_TIMEOUT_MS + 20_000,
    );
  });

  describe("the service's own session", () => {
    const serviceClientId = `iomt-service-${hostname()}`.slice(0, 64);

    it("refuses a device logging in with the service's client id: the service stays connected and heartbeats flow", async () => {
      const service = t.app.get(MqttConnection).client;
      expect(service.options.clientId).toBe(serviceClientId);
      let serviceDrops = 0;
      const onClose = () => serviceDrops++;
      service.on('close', onClose);
      try {
        const { creds } = await deviceWithCredentials();
        for (let i = 0; i < 10; i++) {
          await expect(
            connectAsync(t.mqttUrl, {
              reconnectPeriod: 0,
              connectTimeout: 5000,
              clientId: serviceClientId,
              username: creds.username,
              password: creds.password,
            }),
          ).rejects.toThrow(/Identifier rejected|Not authorized/i);
        }
        const { device, creds: other } = await deviceWithCredentials('1.0');
        const client = await connectDevice(t.mqttUrl, { username: other.username, password: other.password });
        await publishHeartbeat(client, device.id, { firmwareVersion: '1.2' });
        await client.endAsync();
        await eventually(async () => expect(await firmwareOf(device.id)).toBe('1.2'));
        await t.http().get('/health').expect(200);
        expect(serviceDrops).toBe(0);
        expect(service.connected).toBe(true);
      } finally {
        service.off('close', onClose);
      }
    });

    it('refuses a device taking over the client id another device is connected with', async () => {
      const a = await deviceWithCredentials('1.0');
      const b = await deviceWithCredentials('1.0');
      const victim = await connectDevice(t.mqttUrl, { clientId: 'ward-3-pump', username: a.creds.username, password: a.creds.password });
      let victimDropped = false;
      victim.once('close', () => (victimDropped = true));
      await expect(
        connectAsync(t.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, clientId: 'ward-3-pump', username: b.creds.username, password: b.creds.password }),
      ).rejects.toThrow(/Identifier rejected/i);
      await publishHeartbeat(victim, a.device.id, { firmwareVersion: '1.3' });
      expect(victimDropped).toBe(false);
      // The same device reconnecting with its own id still replaces its old session (a half-open link).
      const again = await connectDevice(t.mqttUrl, { clientId: 'ward-3-pump', username: a.creds.username, password: a.creds.password });
      await closedWithin(victim, 3000);
      await again.endAsync();
      await victim.endAsync(true).catch(() => undefined);
    });
  });

  describe('revocation ends live sessions', () => {
    it('re-issuing a password disconnects the open connection at once; the new password works', async () => {
      const { device, creds } = await deviceWithCredentials('1.0');
      const client = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
      await publishHeartbeat(client, device.id, { firmwareVersion: '1.1' });
      await eventually(async () => expect(await firmwareOf(device.id)).toBe('1.1'));

      const closed = closedWithin(client, 2000);
      const fresh = await issue(device.id);
      await closed;
      await client.endAsync(true).catch(() => undefined);
      await expect(connectAsync(t.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, username: creds.username, password: creds.password })).rejects.toThrow();

      const again = await connectDevice(t.mqttUrl, { username: fresh.username, password: fresh.password });
      await publishHeartbeat(again, device.id, { firmwareVersion: '1.2' });
      await again.endAsync();
      await eventually(async () => expect(await firmwareOf(device.id)).toBe('1.2'));
    });

    it('decommissioning a device disconnects it at once, and it cannot log in again', async () => {
      const { device, creds } = await deviceWithCredentials('1.0');
      const client = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
      await publishHeartbeat(client, device.id, { firmwareVersion: '1.1' });
      await eventually(async () => expect(await firmwareOf(device.id)).toBe('1.1'));

      const closed = closedWithin(client, 2000);
      await t.api().delete(`/api/v1/devices/${device.id}`).expect(200);
      await closed;
      await client.endAsync(true).catch(() => undefined);
      await expect(connectAsync(t.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, username: creds.username, password: creds.password })).rejects.toThrow();
      expect(await firmwareOf(device.id)).toBe('1.1');
    });
  });
});
