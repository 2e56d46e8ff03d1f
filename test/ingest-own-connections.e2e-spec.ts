import { randomUUID } from 'node:crypto';
import { MqttClient } from 'mqtt';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { INGEST_CONNECTIONS, INGEST_DATA_SOURCE } from '../src/database/ingest-data-source';
import { createDevice, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, publishHeartbeat } from './support/mqtt-device';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Heartbeats commit on their own connections (src/database/ingest-data-source.ts): API readers
 * holding every connection of the shared pool must not hold heartbeats back (issue 19).
 */
describe('heartbeat batches on their own connections', () => {
  let t: TestApp;
  let device: MqttClient;
  let modelId: string;

  beforeAll(async () => {
    t = await startTestApp();
    device = await connectDevice(t.mqttUrl, { clientId: `dev-${randomUUID().slice(0, 8)}` });
    ({ modelId } = await seedModel(t));
  });
  afterAll(async () => {
    await device?.endAsync();
    await t?.close();
  });

  it('commits a heartbeat within 2 s while readers hold every connection of the shared pool (external PostgreSQL), or shares the one embedded session', async () => {
    const primary = t.app.get(DataSource);
    const ingest = t.app.get<DataSource>(INGEST_DATA_SOURCE);
    if (!t.databaseUrl) {
      // PGlite has one session: a second pool would only queue on it (ingest-data-source.ts).
      expect(ingest).toBe(primary);
      return;
    }
    expect(ingest).not.toBe(primary);
    expect((ingest.options as { poolSize?: number }).poolSize).toBe(INGEST_CONNECTIONS);
    const d = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
    const poolSize = (primary.options as { poolSize?: number }).poolSize!;
    // Every shared connection busy for 4 s, as twenty clients paging reports keep them.
    const readers = Array.from({ length: poolSize }, () => primary.query('SELECT pg_sleep(4)'));
    const raw = new Client({ connectionString: t.databaseUrl });
    await raw.connect();
    try {
      await eventually(async () => {
        const { rows } = await raw.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(4)' AND state = 'active'`);
        expect(rows[0].n).toBe(poolSize);
      });
      const published = Date.now();
      await publishHeartbeat(device, d.id, { firmwareVersion: '1.0.0', batteryPercent: 64 });
      await eventually(async () => {
        const { rows } = await raw.query(`SELECT battery_percent FROM device_presence WHERE device_id = $1`, [d.id]);
        expect(rows[0]?.battery_percent).toBe(64);
      });
      expect(Date.now() - published).toBeLessThan(2000);
      // The readers were still running: the heartbeat did not wait for one of them to finish.
      const { rows } = await raw.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(4)' AND state = 'active'`);
      expect(rows[0].n).toBe(poolSize);
    } finally {
      await raw.end();
      await Promise.all(readers);
    }
  });
});
