import { randomUUID } from 'node:crypto';
import { connectAsync } from 'mqtt';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

// Always the embedded broker here: its authentication is what this file proves.
describe('device MQTT credentials on the embedded broker', () => {
  let t: TestApp;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { MQTT_URL: '', MQTT_ALLOW_ANONYMOUS: 'false' } });
    ({ modelId } = await seedModel(t));
  });
  afterAll(async () => {
    await t?.close();
  });

  const issue = async (deviceId: string) => (await t.api().post(`/api/v1/devices/${deviceId}/credentials`).expect(201)).body;

  it('issues credentials once: username is the device id, password only in the response', async () => {
    const d = await createDevice(t, modelId);
    const creds = await issue(d.id);
    expect(creds).toEqual({ username: d.id, password: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), topic: `iomt/v1/devices/${d.id}/heartbeat` });
    const audit = await t.api().get(`/api/v1/audit?entityId=${d.id}&action=issue_credentials`).expect(200);
    expect(JSON.stringify(audit.body)).not.toContain(creds.password);
  });

  it('accepts a heartbeat from a device with its own credentials', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0' });
    const creds = await issue(d.id);
    const client = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
    await publishHeartbeat(client, d.id, { firmwareVersion: '1.1' });
    await client.endAsync();
    await eventually(async () => expect((await t.api().get(`/api/v1/devices/${d.id}`)).body.firmwareVersion).toBe('1.1'));
  });

  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(connectAsync(t.mqttUrl, { reconnectPeriod: 0, clientId: randomUUID() })).rejects.toThrow(/Not authorized|Connection refused/i);
    const d = await createDevice(t, modelId);
    await issue(d.id);
    await expect(connectAsync(t.mqttUrl, { reconnectPeriod: 0, username: d.id, password: 'wrong' })).rejects.toThrow(
      /Bad username or password|Connection refused/i,
    );
  });

  it('does not let a device publish a heartbeat for another device', async () => {
    const attacker = await createDevice(t, modelId, { firmwareVersion: '1.0' });
    const victim = await createDevice(t, modelId, { firmwareVersion: '1.0' });
    const creds = await issue(attacker.id);
    const client = await connectDevice(t.mqttUrl, { username: creds.username, password: creds.password });
    // MQTT 3.1.1 has no negative PUBACK: the broker drops the publish and closes the link,
    // so the PUBACK never comes; wait for the close instead.
    const closed = new Promise<void>((r) => client.once('close', () => r()));
    void publishHeartbeat(client, victim.id, { firmwareVersion: '6.6.6' }).catch(() => undefined);
    await closed;
    await client.endAsync(true).catch(() => undefined);
    // The broker decided on the attacker's publish before closing its link, so anything it
    // forwarded reached the service's subscription ahead of a heartbeat published after that:
    // once this marker is applied, the attacker's heartbeat would have been too.
    const marker = await createDevice(t, modelId, { firmwareVersion: '1.0' });
    const markerCreds = await issue(marker.id);
    const markerClient = await connectDevice(t.mqttUrl, { username: markerCreds.username, password: markerCreds.password });
    await publishHeartbeat(markerClient, marker.id, { firmwareVersion: '1.1' });
    await markerClient.endAsync();
    await eventually(async () => expect((await t.api().get(`/api/v1/devices/${marker.id}`)).body.firmwareVersion).toBe('1.1'));
    const res = await t.api().get(`/api/v1/devices/${victim.id}`).expect(200);
    expect(res.body).toMatchObject({ firmwareVersion: '1.0', lastSeenAt: null });
  });

  it('rotates: the old password stops working', async () => {
    const d = await createDevice(t, modelId);
    const first = await issue(d.id);
    const second = await issue(d.id);
    await expect(connectAsync(t.mqttUrl, { reconnectPeriod: 0, username: d.id, password: first.password })).rejects.toThrow();
    const ok = await connectDevice(t.mqttUrl, { username: d.id, password: second.password });
    await ok.endAsync();
  });

  it('refuses credentials of a decommissioned device', async () => {
    const d = await createDevice(t, modelId);
    const creds = await issue(d.id);
    await t.api().delete(`/api/v1/devices/${d.id}`).expect(200);
    await expect(connectAsync(t.mqttUrl, { reconnectPeriod: 0, username: d.id, password: creds.password })).rejects.toThrow();
    await t.api().post(`/api/v1/devices/${d.id}/credentials`).expect(400);
  });

  it('lets only biomed and admin issue credentials', async () => {
    const d = await createDevice(t, modelId);
    const it_ = await createKey(t, 'it');
    await t.api(it_).post(`/api/v1/devices/${d.id}/credentials`).expect(403);
    const biomed = await createKey(t, 'biomed');
    await t.api(biomed).post(`/api/v1/devices/${d.id}/credentials`).expect(201);
    await t.api().post('/api/v1/devices/00000000-0000-4000-8000-000000000000/credentials').expect(404);
  });
});
