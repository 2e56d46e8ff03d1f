import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevice, seedModel } from './factories/inventory.factory';
import { TEST_DATA_KEY } from './factories/user.factory';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { createTestDatabase, dropTestDatabase, startTestApp, TestApp } from './support/test-app';
import { WebhookReceiver } from './support/webhook-receiver';

const BOOT_MS = 180_000;
const FAST_RETRIES = { WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_RETRY_MAX_DELAY_S: '1', WEBHOOK_POLL_INTERVAL_MS: '200' };

/**
 * A delivery owed when the service stops is made by the next one: the outbox is in the database,
 * written with the event, and the signing secret is sealed under a key that outlives the process.
 */
describe('webhook deliveries across a restart of the service', () => {
  let databaseUrl: string | null;
  let dataDir: string;
  let receiver: WebhookReceiver;
  let second: TestApp | null = null;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'iomt-webhook-restart-'));
    receiver = new WebhookReceiver();
    await receiver.start();
  });
  afterAll(async () => {
    await second?.close();
    await receiver?.stop();
    await dropTestDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const boot = () =>
    startTestApp({
      ...(databaseUrl ? { databaseUrl } : {}),
      env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', IOMT_DATA_KEY: TEST_DATA_KEY, ...FAST_RETRIES, ...(databaseUrl ? {} : { DATA_DIR: dataDir }) },
    });

  it(
    'delivers an event whose delivery was still failing when the service stopped, once, with the same webhook-id and a valid signature',
    async () => {
      const first = await boot();
      const created = await first
        .api()
        .post('/api/v1/webhooks')
        .send({ url: receiver.url, events: ['firmware_downgrade'], description: 'restart' })
        .expect(201);
      receiver.secret = created.body.secret;
      const { modelId } = await seedModel(first);
      const device = await createDevice(first, modelId, { firmwareVersion: '3.0' });

      await receiver.stop();
      const client = await connectDevice(first.mqttUrl);
      await publishHeartbeat(client, device.id, { firmwareVersion: '2.0' });
      await client.endAsync();
      const { value: pending } = await eventually(async () => {
        const items = (await first.api().get(`/api/v1/webhooks/${created.body.id}/deliveries`).expect(200)).body.items;
        expect(items).toHaveLength(1);
        expect(items[0].attempts).toBeGreaterThanOrEqual(1);
        return items[0] as { webhookId: string; status: string };
      }, 10_000);
      expect(pending.status).toBe('pending');
      await first.close();

      await receiver.start();
      second = await boot();
      const { value: got } = await eventually(async () => {
        const delivered = receiver.of('iomt.security.firmware_downgrade');
        expect(delivered).toHaveLength(1);
        return delivered[0];
      }, 15_000);
      expect(got.verifyError).toBeNull();
      expect(got.headers['webhook-id']).toBe(pending.webhookId);
      await eventually(async () => {
        const items = (await second!.api().get(`/api/v1/webhooks/${created.body.id}/deliveries`).expect(200)).body.items;
        expect(items).toEqual([expect.objectContaining({ webhookId: pending.webhookId, status: 'delivered' })]);
      }, 5000);
    },
    BOOT_MS,
  );
});
