/**
 * Seeds a million-device database the way `--only million` does (seedInventory, the first
 * offline sweep, 10 advisories through the API, a year of history) and KEEPS it, so that the
 * reads can be EXPLAINed and timed again and again against the same data:
 *   npm run build && node dist/bench/million-db.js <database name> [devices]
 * Drop it yourself afterwards (DROP DATABASE <name>).
 */
import { randomBytes } from 'node:crypto';
import { startBroker } from './lib/broker';
import { Cleanup } from './lib/cleanup';
import { ADMIN_URL, databaseUrl, seedInventory, withClient } from './lib/seed';
import { ServiceProcess } from './lib/service';
import { LOAD_OFFLINE_AFTER_S, waitForFirstSweep } from './million-load';
import { postBenchAdvisories } from './million.bench';

async function main(): Promise<void> {
  const name = process.argv[2];
  const devices = Number(process.argv[3] ?? 1_000_000);
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: node dist/bench/million-db.js <database name> [devices]');
  const log = (m: string): void => console.log(`${new Date().toISOString()} ${m}`);
  const cleanup = new Cleanup();
  try {
    await withClient(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
    const url = databaseUrl(name);
    const broker = await startBroker(cleanup, 'million-db');
    const adminKey = `iomt_bench_${randomBytes(16).toString('hex')}`;
    const service = await ServiceProcess.start(cleanup, {
      name: 'million-db',
      databaseUrl: url,
      mqttUrl: broker.url,
      adminKey,
      clientId: 'iomt-bench-million-db',
      offlineAfterS: LOAD_OFFLINE_AFTER_S,
    });
    const seeded = await seedInventory(url, devices, (done, ms) => log(`seeded ${done} (${(ms / 1000).toFixed(1)} s)`));
    log(`seeded in ${(seeded.seedMs / 1000).toFixed(1)} s`);
    await withClient(url, (c) => waitForFirstSweep(c, log));
    const t = Date.now();
    await postBenchAdvisories(service, url, 10, (i) => log(`advisory ${i} posted`));
    log(`advisories in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    await withClient(url, async (c) => {
      await c.query(
        `INSERT INTO firmware_history (device_id, from_version, to_version, source, changed_at)
         SELECT d.id, '1.0.' || k, '1.0.' || (k + 1), 'heartbeat', now() - make_interval(days => 365 - k * 30)
           FROM (SELECT id FROM devices TABLESAMPLE SYSTEM (10)) d, generate_series(0, 11) k`,
      );
      await c.query('VACUUM (ANALYZE)');
      log(`open findings ${(await c.query(`SELECT count(*) AS n FROM findings WHERE status = 'open'`)).rows[0].n}`);
    });
    console.log(`ADMIN_KEY=${adminKey}`);
  } finally {
    await cleanup.run();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
