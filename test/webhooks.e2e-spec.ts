import { MqttClient } from 'mqtt';
import { DataSource } from 'typeorm';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

/** Fast retries so that an outage of seconds is retried within the test's patience. */
const FAST_RETRIES = { WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_RETRY_MAX_DELAY_S: '1', WEBHOOK_POLL_INTERVAL_MS: '200' };

/** Booting an app (PGlite initdb, migrations) on a loaded 2-core machine can take longer than a test. */
const BOOT_MS = 180_000;

interface CloudEventBody {
  specversion: string;
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: string;
  data: { id: string; type: string; deviceId: string; severity: string; details: Record<string, unknown> };
}

describe('webhooks: security events pushed to a local receiver (WEBHOOK_ALLOWED_HOSTS=127.0.0.1)', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let device: MqttClient;
  let modelId: string;
  let webhookId: string;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await startTestApp({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', ...FAST_RETRIES } });
    ({ modelId } = await seedModel(t));
    device = await connectDevice(t.mqttUrl);
    const created = await t
      .api()
      .post('/api/v1/webhooks')
      .send({ url: receiver.url, events: ['firmware_downgrade'], description: 'SOC bridge' })
      .expect(201);
    webhookId = created.body.id;
    receiver.secret = created.body.secret;
  }, BOOT_MS);
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
    await receiver?.stop();
  });

  const deliveredFor = (deviceId: string) => receiver.of('iomt.security.firmware_downgrade').filter((r) => (r.verified as CloudEventBody).subject === deviceId);

  it('answers the whsec_ secret once, keeps it sealed, lists the endpoint without it, and audits without it', async () => {
    expect(receiver.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const list = await t.api().get('/api/v1/webhooks').expect(200);
    expect(list.body).toEqual([
      expect.objectContaining({
        id: webhookId,
        url: receiver.url,
        events: ['firmware_downgrade'],
        description: 'SOC bridge',
        enabled: true,
        disabledReason: null,
      }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(receiver.secret!.slice(6));
    const [row]: Array<{ secret_sealed: string }> = await t.app.get(DataSource).query(`SELECT secret_sealed FROM webhooks WHERE id = $1`, [webhookId]);
    expect(row.secret_sealed).toMatch(/^v1\./);
    expect(row.secret_sealed).not.toContain(receiver.secret!.slice(6));
    const audit = await t.api().get(`/api/v1/audit?entityId=${webhookId}`).expect(200);
    expect(JSON.stringify(audit.body)).toContain('webhook');
    expect(JSON.stringify(audit.body)).not.toContain(receiver.secret!.slice(6));
  });

  it('delivers a firmware_downgrade from a real MQTT heartbeat within 5 s, signed per Standard Webhooks, as a CloudEvent', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '4.2.0' });
    const published = Date.now();
    await publishHeartbeat(device, d.id, { firmwareVersion: '4.1.9' });
    const { value } = await eventually(async () => {
      const got = deliveredFor(d.id);
      expect(got).toHaveLength(1);
      return got[0];
    }, 5000);
    expect(Date.now() - published).toBeLessThan(5000);
    expect(value.verifyError).toBeNull();
    expect(value.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(value.headers['webhook-signature']).toMatch(/^v1,/);
    expect(value.headers['content-type']).toBe('application/json');
    const event = value.verified as CloudEventBody;
    expect(event).toMatchObject({
      specversion: '1.0',
      source: '/iomt/security-events',
      type: 'iomt.security.firmware_downgrade',
      subject: d.id,
      datacontenttype: 'application/json',
      data: { type: 'firmware_downgrade', deviceId: d.id, severity: 'high', details: { fromVersion: '4.2.0', toVersion: '4.1.9' } },
    });
    expect(new Date(event.time).toISOString()).toBe(event.time);
    const [stored] = (await t.api().get(`/api/v1/security-events?deviceId=${d.id}`).expect(200)).body.items;
    expect(event.id).toBe(stored.id);
  });

  it('keeps retrying while the receiver is down for 10 s, with the same webhook-id, and delivers once after it returns', async () => {
    await receiver.stop();
    const d = await createDevice(t, modelId, { firmwareVersion: '7.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '6.9' });
    await new Promise((r) => setTimeout(r, 10_000));
    const pending = (await t.api().get(`/api/v1/webhooks/${webhookId}/deliveries`).expect(200)).body.items[0];
    expect(pending).toMatchObject({ status: 'pending', eventType: 'firmware_downgrade', deliveredAt: null });
    expect(pending.attempts).toBeGreaterThanOrEqual(3);
    expect(pending.attemptList.every((a: { statusCode: number | null; error: string }) => a.statusCode === null && /ECONNREFUSED/.test(a.error))).toBe(true);

    await receiver.start();
    const { value } = await eventually(async () => {
      const got = deliveredFor(d.id);
      expect(got).toHaveLength(1);
      return got[0];
    }, 5000);
    expect(value.headers['webhook-id']).toBe(pending.webhookId);
    // The receiver's answer is recorded right after it arrives.
    const { value: done } = await eventually(async () => {
      const found = (await t.api().get(`/api/v1/webhooks/${webhookId}/deliveries`).expect(200)).body.items.find((x: { id: string }) => x.id === pending.id);
      expect(found).toMatchObject({ status: 'delivered', webhookId: pending.webhookId, lastError: null });
      return found;
    }, 5000);
    expect(done.attemptList.at(-1)).toMatchObject({ statusCode: 204, error: null });
    // Nothing is sent twice: one verified request per webhook-id, and the endpoint is healthy again.
    const ids = receiver.received.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await t.api().get(`/api/v1/webhooks/${webhookId}`).expect(200)).body).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  }, 40_000);

  it('sends only the subscribed types', async () => {
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0' });
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0', serialNumber: 'NOT-MINE' });
    await eventually(async () => expect((await t.api().get(`/api/v1/security-events?deviceId=${d.id}`)).body.items).toHaveLength(1), 5000);
    await new Promise((r) => setTimeout(r, 1000));
    expect(receiver.received.filter((r) => (r.verified as CloudEventBody | null)?.subject === d.id)).toEqual([]);
  });

  it('pages deliveries by cursor, and answers 400 naming the field for bad paging', async () => {
    const first = await t.api().get(`/api/v1/webhooks/${webhookId}/deliveries?limit=1`).expect(200);
    expect(first.body.items).toHaveLength(1);
    const second = await t.api().get(`/api/v1/webhooks/${webhookId}/deliveries?limit=1&cursor=${first.body.nextCursor}`).expect(200);
    expect(Number(second.body.items[0].id)).toBeLessThan(Number(first.body.items[0].id));
    expect((await t.api().get(`/api/v1/webhooks/${webhookId}/deliveries?cursor=nope`).expect(400)).body.message).toMatch(/cursor/);
    expect((await t.api().get(`/api/v1/webhooks/${webhookId}/deliveries?limit=1000`).expect(400)).body.message).toMatch(/limit/);
    await t.api().get('/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries').expect(404);
  });
});

describe('webhooks without WEBHOOK_ALLOWED_HOSTS', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await startTestApp({ env: { WEBHOOK_DISABLE_AFTER_FAILURES: '2', ...FAST_RETRIES } });
  }, BOOT_MS);
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('refuses a webhook to 127.0.0.1 at creation, with a 400 naming url', async () => {
    const res = await t
      .api()
      .post('/api/v1/webhooks')
      .send({ url: receiver.url, events: ['firmware_downgrade'] })
      .expect(400);
    expect(res.body.message).toMatch(
      /^url: 127\.0\.0\.1 resolves to 127\.0\.0\.1 is a loopback address; list the host or a range holding it in WEBHOOK_ALLOWED_HOSTS/,
    );
  });

  it.each([
    ['http://localhost:9/x', /url: localhost resolves to .* loopback/],
    ['http://10.0.0.5/x', /url: .*private address/],
    ['http://169.254.169.254/latest/meta-data', /url: .*link-local/],
    ['http://[::1]:8080/x', /url: .*loopback/],
    ['http://[::ffff:127.0.0.1]/x', /url: .*IPv4-mapped/],
    ['http://224.0.0.1/x', /url: .*multicast/],
    ['ftp://example.org/x', /url: must be an http/],
    ['https://user:secret@example.org/x', /url: must not carry credentials/],
    ['example.org/x', /url: must be an absolute/],
  ])('refuses %s', async (url, message) => {
    const res = await t
      .api()
      .post('/api/v1/webhooks')
      .send({ url, events: ['firmware_downgrade'] })
      .expect(400);
    expect(res.body.message).toMatch(message);
  });

  it.each([
    [{ url: 'https://x.example/h' }, /events/],
    [{ url: 'https://x.example/h', events: [] }, /events/],
    [{ url: 'https://x.example/h', events: ['bogus'] }, /events/],
    [{ url: 'https://x.example/h', events: ['firmware_downgrade', 'firmware_downgrade'] }, /events/],
    [{ events: ['firmware_downgrade'] }, /url/],
    [{ url: 'https://x.example/h', events: ['firmware_downgrade'], description: 'x'.repeat(501) }, /description/],
    [{ url: 'https://x.example/h', events: ['firmware_downgrade'], secret: 'mine' }, /secret/],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const res = await t.api().post('/api/v1/webhooks').send(body).expect(400);
    expect(res.body.message).toMatch(field);
  });

  it('refuses everyone but admins', async () => {
    const { manufacturerId } = await seedModel(t);
    for (const key of [await createKey(t, 'manufacturer', manufacturerId), await createKey(t, 'biomed'), await createKey(t, 'it')]) {
      await t
        .api(key)
        .post('/api/v1/webhooks')
        .send({ url: 'https://x.example/h', events: ['firmware_downgrade'] })
        .expect(403);
      await t.api(key).get('/api/v1/webhooks').expect(403);
      await t.api(key).get('/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries').expect(403);
      await t.api(key).delete('/api/v1/webhooks/00000000-0000-4000-8000-000000000000').expect(403);
    }
    await t.http().get('/api/v1/webhooks').expect(401);
  });

  it('checks the address again at delivery (DNS rebinding), fails the attempts, disables the endpoint after the threshold and says why; PATCH re-enables it', async () => {
    // An endpoint whose name now resolves to loopback: written as a stored row, since creation refuses it.
    const created = await t
      .api()
      .post('/api/v1/webhooks')
      .send({ url: 'https://93.184.215.14/h', events: ['address_changed'] })
      .expect(201);
    await t.app.get(DataSource).query(`UPDATE webhooks SET url = $2 WHERE id = $1`, [created.body.id, receiver.url]);
    const { modelId } = await seedModel(t);
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0' });
    const device = await connectDevice(t.mqttUrl);
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0', ipAddress: '10.0.0.1', sentAt: new Date(Date.now() - 2000).toISOString() });
    // Two heartbeats of one batch fold into the newer one: the first must be committed on its own.
    await eventually(async () => expect((await t.api().get(`/api/v1/devices/${d.id}`)).body.ipAddress).toBe('10.0.0.1'), 5000);
    await publishHeartbeat(device, d.id, { firmwareVersion: '1.0', ipAddress: '10.0.0.2', sentAt: new Date(Date.now() - 1000).toISOString() });
    await device.endAsync();

    const { value: disabled } = await eventually(async () => {
      const w = (await t.api().get(`/api/v1/webhooks/${created.body.id}`).expect(200)).body;
      expect(w.enabled).toBe(false);
      return w;
    }, 10_000);
    expect(disabled.disabledReason).toMatch(
      /^2 consecutive failed delivery attempts; last: refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1 is a loopback address/,
    );
    expect(receiver.received).toEqual([]);
    const [delivery] = (await t.api().get(`/api/v1/webhooks/${created.body.id}/deliveries`).expect(200)).body.items;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 2 });

    const patched = await t.api().patch(`/api/v1/webhooks/${created.body.id}`).send({ enabled: true }).expect(200);
    expect(patched.body).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
    await t.api().patch(`/api/v1/webhooks/${created.body.id}`).send({ enabled: 'yes' }).expect(400);
    await t.api().delete(`/api/v1/webhooks/${created.body.id}`).expect(204);
    await t.api().get(`/api/v1/webhooks/${created.body.id}`).expect(404);
    await t.api().delete(`/api/v1/webhooks/${created.body.id}`).expect(404);
  });
});
