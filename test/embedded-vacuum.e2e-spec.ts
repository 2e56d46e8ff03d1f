import { DataSource } from 'typeorm';
import { EmbeddedVacuum } from '../src/database/embedded-vacuum.service';
import { createDevice, seedModel } from './factories/inventory.factory';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The embedded PGlite has no autovacuum (single-user mode): the service vacuums the tables that
 * heartbeats rewrite itself. Shown by what vacuum is for: after a pass, the space of dead row
 * versions is used again, so the same churn does not grow the table a second time.
 */
describe('vacuum of the tables heartbeats rewrite (the embedded database has no autovacuum)', () => {
  let t: TestApp;
  let db: DataSource;
  const size = async (): Promise<number> =>
    Number((await db.query(`SELECT pg_relation_size('device_presence') + pg_indexes_size('device_presence') AS n`))[0].n);
  // What a heartbeat does to a device's presence row, for every device at once.
  const churn = async (rounds: number) => {
    for (let i = 0; i < rounds; i++) {
      await db.query(`UPDATE device_presence SET connectivity = 'online', last_seen_at = clock_timestamp(), battery_percent = ${i % 100}`);
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    const { modelId } = await seedModel(t);
    for (let i = 0; i < 40; i++) await createDevice(t, modelId, { firmwareVersion: '1.0.0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the churned table from growing with every heartbeat: passes between rounds make the space of dead rows reusable', async () => {
    const vacuum = t.app.get(EmbeddedVacuum);
    await vacuum.runOnce();
    // Sixty rounds of heartbeats with nothing vacuuming (what the embedded database did before).
    const start = await size();
    await churn(60);
    const unvacuumed = (await size()) - start;
    // The same sixty rounds with a pass after every ten, as the ten-second timer gives under load.
    await vacuum.runOnce();
    const next = await size();
    for (let i = 0; i < 6; i++) {
      await churn(10);
      await vacuum.runOnce();
    }
    const vacuumed = (await size()) - next;
    expect(unvacuumed).toBeGreaterThan(0);
    expect(vacuumed).toBeLessThan(unvacuumed / 3);
  });

  it('vacuums and analyses the whole database every sixtieth pass', async () => {
    const vacuum = t.app.get(EmbeddedVacuum);
    const kinds: string[] = [];
    for (let i = 0; i < 60; i++) kinds.push(await vacuum.runOnce());
    expect(kinds.filter((k) => k === 'all')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'churned')).toHaveLength(59);
  });
});
