import { randomUUID } from 'node:crypto';
import { MqttClient } from 'mqtt';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { metricValue } from './support/metrics';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

/** The rejection table is pruned every 200 committed batches. */
const BATCHES_PER_PRUNE = 200;

describe('ingest: pruning old rejections', () => {
  let t: TestApp;
  let device: MqttClient;

  beforeAll(async () => {
    t = await startTestApp();
    device = await connectDevice(t.mqttUrl, { clientId: `dev-${randomUUID().slice(0, 8)}` });
  });
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
  });

  it('counts and logs a prune that fails instead of swallowing it', async () => {
    // Any DELETE on the table fails, as a lock timeout or a revoked grant would make it.
    await t.app.get(DataSource).query(`
      CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'deletes refused by the test'; END $$;
      CREATE TRIGGER refuse_delete BEFORE DELETE ON ingest_rejections FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();`);
    const failures = async () =>
      metricValue((await t.api().get('/metrics').expect(200)).text, 'iomt_ingest_prune_failures_total', { table: 'ingest_rejections' });
    expect(await failures()).toBe(0);
    // One rejection at a time, each committed in a batch of its own before the next is sent.
    const registry = t.app.get(Registry);
    const batches = async () => metricValue(await registry.getSingleMetricAsString('iomt_ingest_batch_messages'), 'iomt_ingest_batch_messages_count');
    const before = await batches();
    for (let i = 1; i <= BATCHES_PER_PRUNE - before; i++) {
      await publishHeartbeat(device, randomUUID(), 'not json');
      await eventually(async () => expect(await batches()).toBeGreaterThanOrEqual(before + i), 5000, 2);
    }
    await eventually(async () => expect(await failures()).toBe(1), 5000);
  });
});
