import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createDevice, createKey, seedModel } from './factories/inventory.factory';
import { metricValue } from './support/metrics';
import { eventually } from './support/mqtt-device';
import { buildService, freePort, runBuilt } from './support/service-process';
import { createTestDatabase, dropTestDatabase, startTestApp, TestApp, usingRealServices } from './support/test-app';

const HOST = '127.0.0.1';

async function sql(url: string, statements: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/**
 * DATABASE_READ_URL: the reports read a replica, everything else the primary. On PostgreSQL the
 * "replica" is a role that may only SELECT in the same database: a write sent there would fail,
 * and taking a table away from that role shows exactly which reads go through it.
 */
describe('reports on a read replica (DATABASE_READ_URL)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'iomt-read-replica-'));

  beforeAll(async () => {
    await buildService();
    // The build (service and console) on two busy shared cores has taken over two minutes.
  }, 300_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function boot(env: Record<string, string>) {
    return runBuilt('dist/src/main.js', [], {
      HOST,
      PORT: String(await freePort()),
      MQTT_PORT: String(await freePort()),
      DATA_DIR: join(scratch, randomBytes(4).toString('hex')),
      ...env,
    });
  }

  it('refuses DATABASE_READ_URL without DATABASE_URL (no replica of the embedded database exists): exit 78, naming it, not echoing it', async () => {
    const run = await boot({ DATABASE_READ_URL: 'postgres://reader:hunter2-secret@127.0.0.1:5432/iomt' });
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/DATABASE_READ_URL=\(hidden\): needs DATABASE_URL/);
    expect(run.stderr).not.toContain('hunter2-secret');
  });

  it('refuses a DATABASE_READ_URL that is not a postgres URL: exit 78, naming it, before any connection', async () => {
    const run = await boot({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DATABASE_READ_URL: 'mysql://reader:hunter2-secret@replica/iomt' });
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/DATABASE_READ_URL=\(hidden\): must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(run.stderr).not.toContain('hunter2-secret');
  });

  if (usingRealServices.database) {
    describe('on PostgreSQL, with a role that may only SELECT as the replica', () => {
      const reader = `iomt_reader_${randomBytes(4).toString('hex')}`;
      const readerPassword = randomBytes(12).toString('hex');
      let databaseUrl: string;
      let readUrl: string;
      let t: TestApp;

      beforeAll(async () => {
        databaseUrl = (await createTestDatabase())!;
        const name = new URL(databaseUrl).pathname.slice(1);
        // Default privileges: the tables the service's migrations create at boot are readable by the role, and only readable.
        await sql(databaseUrl, [
          `CREATE ROLE ${reader} LOGIN PASSWORD '${readerPassword}'`,
          `GRANT CONNECT ON DATABASE ${name} TO ${reader}`,
          `GRANT USAGE ON SCHEMA public TO ${reader}`,
          `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO ${reader}`,
        ]);
        const url = new URL(databaseUrl);
        url.username = reader;
        url.password = readerPassword;
        readUrl = url.toString();
        t = await startTestApp({ databaseUrl, env: { DATABASE_READ_URL: readUrl } });
      }, 120_000);

      afterAll(async () => {
        await t?.close();
        await dropTestDatabase(databaseUrl);
        await sql(process.env.TEST_DATABASE_URL!, [`DROP ROLE IF EXISTS ${reader}`]).catch(() => undefined);
      });

      it('is a role that cannot write: an INSERT through the replica URL is refused', async () => {
        await expect(sql(readUrl, [`INSERT INTO manufacturers (name) VALUES ('written through the replica')`])).rejects.toThrow(/permission denied/);
      });

      it('reports the replica on /health, up, with no lag on a server that is not a standby', async () => {
        const res = await t.http().get('/health').expect(200);
        expect(res.body.info).toEqual({ database: { status: 'up' }, mqtt: { status: 'up' }, databaseRead: { status: 'up', lagSeconds: null } });
        const metrics = (await t.api().get('/metrics').expect(200)).text;
        expect(metricValue(metrics, 'iomt_read_replica_up')).toBe(1);
        expect(metrics).toMatch(/^iomt_read_replica_lag_seconds 0$/m);
      });

      it('writes to the primary and answers every report from the replica: JSON, CSV, summary, exposure-unknown', async () => {
        const { manufacturerId, modelId } = await seedModel(t);
        await t
          .api()
          .post('/api/v1/advisories')
          .send({ manufacturerId, title: 'Replica test', cvssScore: 9.1, affected: [{ modelId, versions: '<2.0.0', fixedVersion: '2.0.0' }] })
          .expect(201);
        const exposed = await createDevice(t, modelId, { firmwareVersion: '1.2.0', department: 'ICU' });
        const unknown = await createDevice(t, modelId, { department: 'ICU' });
        await createDevice(t, modelId, { firmwareVersion: '2.0.0' });

        // Each device's exposure is decided on its own: wait for both, the exposed one and the undecidable one.
        await eventually(async () => {
          const res = await t.api().get('/api/v1/reports/outdated-firmware').expect(200);
          expect(res.body.items.map((i: { deviceId: string }) => i.deviceId)).toEqual([exposed.id]);
          expect(res.body.items[0]).toMatchObject({ firmwareVersion: '1.2.0', minimumSafeVersion: '2.0.0' });
          const unknownRows = await t.api().get('/api/v1/reports/exposure-unknown').expect(200);
          expect(unknownRows.body.map((r: { deviceId: string }) => r.deviceId)).toEqual([unknown.id]);
        }, 10_000);
        const csv = await t.api().get('/api/v1/reports/outdated-firmware').set('Accept', 'text/csv').expect(200);
        expect(csv.text.trim().split('\n')).toHaveLength(2);
        expect(csv.text).toContain(exposed.serialNumber);
        const summary = await t.api().get('/api/v1/reports/summary').expect(200);
        expect(summary.body.totals).toMatchObject({ exposedDevices: 1, openFindings: 1, exposureUnknownDevices: 1 });
        const unknownRows = await t.api().get('/api/v1/reports/exposure-unknown').expect(200);
        expect(unknownRows.body.map((r: { deviceId: string }) => r.deviceId)).toEqual([unknown.id]);
        // What a person just wrote is read back from the primary, not a lagging replica.
        await t.api().get(`/api/v1/devices/${unknown.id}`).expect(200);
      });

      it('sends the reports, and only them, through the replica: without SELECT there the reports fail and the rest works', async () => {
        const { modelId } = await seedModel(t);
        await sql(databaseUrl, [`REVOKE SELECT ON device_exposure, exposure_unknown FROM ${reader}`]);
        try {
          await t.api().get('/api/v1/reports/outdated-firmware').expect(500);
          await t.api().get('/api/v1/reports/summary').expect(500);
          await t.api().get('/api/v1/reports/exposure-unknown').expect(500);
          const device = await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
          await t.api().get(`/api/v1/devices/${device.id}`).expect(200);
          await t.api().get(`/api/v1/devices/${device.id}/findings`).expect(200);
        } finally {
          await sql(databaseUrl, [`GRANT SELECT ON device_exposure, exposure_unknown TO ${reader}`]);
        }
        await t.api().get('/api/v1/reports/summary').expect(200);
      });

      it('keeps the reports to their roles on the replica too: a manufacturer is refused', async () => {
        const { manufacturerId } = await seedModel(t);
        const key = await createKey(t, 'manufacturer', manufacturerId);
        await t.api(key).get('/api/v1/reports/outdated-firmware').expect(403);
        await t.api(key).get('/api/v1/reports/summary').expect(403);
        await t
          .api(await createKey(t, 'it'))
          .get('/api/v1/reports/summary')
          .expect(200);
      });

      it('answers 503 on /health while the replica refuses connections, and up again once it is back', async () => {
        await sql(databaseUrl, [`ALTER ROLE ${reader} NOLOGIN`, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${reader}'`]);
        try {
          await eventually(async () => {
            const res = await t.http().get('/health');
            expect({ status: res.status, body: res.body }).toMatchObject({
              status: 503,
              body: { details: { database: { status: 'up' }, databaseRead: { status: 'down' } } },
            });
            expect(metricValue((await t.api().get('/metrics').expect(200)).text, 'iomt_read_replica_up')).toBe(0);
          }, 10_000);
        } finally {
          await sql(databaseUrl, [`ALTER ROLE ${reader} LOGIN`]);
        }
        await eventually(async () => {
          await t.http().get('/health').expect(200);
        }, 10_000);
      });

      it('stops the start with exit 78 naming DATABASE_READ_URL when the replica cannot be reached, without its password', async () => {
        const url = new URL(readUrl);
        url.port = String(await freePort());
        const run = await boot({ DATABASE_URL: databaseUrl, DATABASE_READ_URL: url.toString(), MQTT_ALLOW_ANONYMOUS: 'true' });
        expect(run.code).toBe(78);
        expect(run.stderr).toMatch(/DATABASE_READ_URL \(iomt_reader_\w+@127\.0\.0\.1:\d+\/\w+\): cannot connect/);
        expect(run.stderr).not.toContain(readerPassword);
      });

      it('stops the start with exit 78 when the replica URL names a database without the schema', async () => {
        const empty = (await createTestDatabase())!;
        try {
          const run = await boot({ DATABASE_URL: databaseUrl, DATABASE_READ_URL: empty, MQTT_ALLOW_ANONYMOUS: 'true' });
          expect(run.code).toBe(78);
          expect(run.stderr).toMatch(/DATABASE_READ_URL \(.*\): no device_exposure table there/);
        } finally {
          await dropTestDatabase(empty);
        }
      });
    });
  }
});
