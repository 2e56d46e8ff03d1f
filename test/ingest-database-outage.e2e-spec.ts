import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { createDevice, seedModel } from './factories/inventory.factory';
import { DEFAULT_HIGH_WATER } from '../src/ingest/puback-gate';
import { metricValue } from './support/metrics';
import { connectDevice, eventually, heartbeatTopic } from './support/mqtt-device';
import { appOnOwnBroker } from './support/app-on-own-broker';
import { TestApp } from './support/test-app';

const DEVICES = 100;
/** Enough heartbeats that some must wait at the broker while the service holds the rest. */
const ROUNDS = Math.ceil((DEFAULT_HIGH_WATER + 200) / DEVICES);

/**
 * Takes the service's database away. On PostgreSQL: no new connections, and the service's are
 * ended, so commits fail and are retried. On the embedded PGlite, which serves the service over
 * one connection: that connection is held in an open transaction, so commits wait instead.
 */
async function takeDatabaseAway(t: TestApp): Promise<{ kind: 'refused' | 'stalled'; end: () => Promise<void> }> {
  if (t.databaseUrl) {
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
    return {
      kind: 'refused',
      end: async () => {
        await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
        await admin.end();
      },
    };
  }
  const holder = t.app.get(DataSource).createQueryRunner();
  await holder.connect();
  await holder.startTransaction();
  return {
    kind: 'stalled',
    end: async () => {
      await holder.rollbackTransaction();
      await holder.release();
    },
  };
}

/**
 * The broker here is Aedes, started by the test, also with TEST_MQTT_URL: a stock Mosquitto
 * keeps at most 1,000 queued messages per client and drops the rest, and this test needs the
 * broker to hold more than that (the production configuration in docker/ raises the limit).
 */
describe('heartbeat ingestion while the database is away', () => {
  // Always Aedes (restarting is not used here).
  const suite = appOnOwnBroker();

  // Read in-process while polling: on the stalled embedded database every request that needs
  // it waits out the 10 s pool timeout. Scraping over HTTP during a real outage is checked below.
  const metrics = () => suite.t.app.get(Registry).metrics();

  it('stops reading at the high-water mark, leaves the rest at the broker, and commits every heartbeat once the database is back', async () => {
    const { t, broker } = suite;
    const { modelId } = await seedModel(t);
    const devices: string[] = [];
    for (let i = 0; i < DEVICES; i++) devices.push((await createDevice(t, modelId, { firmwareVersion: '1.0.0' })).id);
    // A key Prometheus used a moment ago and an admin then revoked.
    const revoked = await t.api().post('/api/v1/api-keys').send({ name: 'old scraper', role: 'it' }).expect(201);
    await t.api(revoked.body.key).get('/metrics').expect(200);
    await t.api().delete(`/api/v1/api-keys/${revoked.body.id}`).expect(204);
    await t.api().get('/metrics').expect(200);
    const before = await metrics();
    const receivedBefore = metricValue(before, 'iomt_heartbeats_received_total');
    const failuresBefore = metricValue(before, 'iomt_ingest_commit_failures_total');

    const outage = await takeDatabaseAway(t);
    const publisher = await connectDevice(broker.url, { clientId: `dev-${randomUUID().slice(0, 8)}` });
    const base = Date.now() - 3_600_000;
    const total = ROUNDS * DEVICES;
    let published = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await Promise.all(
          devices.map((id) =>
            publisher.publishAsync(
              heartbeatTopic(id),
              JSON.stringify({ firmwareVersion: `1.0.${round + 1}`, sentAt: new Date(base + round * 1000).toISOString() }),
              { qos: 1 },
            ),
          ),
        );
        published += DEVICES;
      }
      expect(published).toBe(total);

      // The service takes in exactly the mark, holds it uncommitted, and reads no further.
      await eventually(async () => {
        const m = await metrics();
        expect(metricValue(m, 'iomt_heartbeats_received_total') - receivedBefore).toBe(DEFAULT_HIGH_WATER);
        expect(metricValue(m, 'iomt_ingest_pending_messages')).toBe(DEFAULT_HIGH_WATER);
      }, 10_000);
      await new Promise((r) => setTimeout(r, 500));
      const held = await metrics();
      expect(metricValue(held, 'iomt_heartbeats_received_total') - receivedBefore).toBe(DEFAULT_HIGH_WATER);
      expect(metricValue(held, 'iomt_ingest_pending_messages')).toBe(DEFAULT_HIGH_WATER);
      if (outage.kind === 'refused') {
        expect(metricValue(held, 'iomt_ingest_commit_failures_total')).toBeGreaterThan(failuresBefore);
        // Prometheus still gets the metrics, with a key the database confirmed before the outage;
        // a key it never confirmed, or one revoked since, is not taken on trust, and routes that
        // need the database fail.
        const scraped = await t.api().get('/metrics').expect(200);
        expect(metricValue(scraped.text, 'iomt_ingest_pending_messages')).toBe(DEFAULT_HIGH_WATER);
        await t
          .api(`iomt_${randomUUID().replace(/-/g, '')}`)
          .get('/metrics')
          .expect(500);
        await t.api(revoked.body.key).get('/metrics').expect(500);
        await t.api().get(`/api/v1/devices/${devices[0]}`).expect(500);
      }
    } finally {
      await outage.end();
    }

    // Back: everything, the messages the broker kept included, is committed; the newest wins.
    await eventually(
      async () => {
        const m = await metrics();
        expect(metricValue(m, 'iomt_heartbeats_received_total') - receivedBefore).toBe(total);
        expect(metricValue(m, 'iomt_ingest_pending_messages')).toBe(0);
      },
      30_000,
      100,
    );
    const list = await t.api().get(`/api/v1/devices?modelId=${modelId}&limit=200`).expect(200);
    expect(list.body.items).toHaveLength(DEVICES);
    expect(new Set(list.body.items.map((d: { firmwareVersion: string }) => d.firmwareVersion))).toEqual(new Set([`1.0.${ROUNDS}`]));
    await publisher.endAsync();
  }, 90_000);
});
