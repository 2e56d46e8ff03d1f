import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { Cleanup } from './lib/cleanup';
import { statCpuSeconds } from './lib/service';
import { createDatabase, seedInventory } from './lib/seed';

/**
 * The million bench's seed alone, without the service, the broker or the load that follows:
 * a fresh database migrated by the service's own migrations, then `seedInventory` timed step by
 * step, with the load average and the CPU time of the seed's own PostgreSQL processes (on a
 * shared machine the wall clock is mostly the other work's; the CPU time is the seed's).
 *
 *   npm run build && node dist/bench/seed-probe.js [devices=1000000] [runs=1]
 */
/**
 * CPU seconds of the PostgreSQL processes working for one database: its backends (their
 * command line names it) and the parallel workers they start (named after their leader's pid).
 * Sampled every 100 ms, so a worker's last 100 ms before it exits can be missed.
 */
class DatabaseCpu {
  private readonly seen = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly database: string) {
    this.timer = setInterval(() => this.sample(), 100);
  }

  private sample(): void {
    const leaders = new Set<number>();
    const workers: Array<{ pid: number; leader: number; stat: string }> = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8');
        if (!cmd.startsWith('postgres:')) continue;
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const pid = Number(name);
        const worker = /parallel worker for PID (\d+)/.exec(cmd);
        if (worker) workers.push({ pid, leader: Number(worker[1]), stat });
        else if (cmd.includes(` ${this.database} `)) {
          leaders.add(pid);
          this.seen.set(pid, statCpuSeconds(stat));
        }
      } catch {
        // It exited between the listing and the read.
      }
    }
    for (const w of workers) if (leaders.has(w.leader)) this.seen.set(w.pid, statCpuSeconds(w.stat));
  }

  stop(): number {
    this.sample();
    clearInterval(this.timer);
    return [...this.seen.values()].reduce((a, x) => a + x, 0);
  }
}

async function main(): Promise<void> {
  const devices = Number(process.argv[2] ?? 1_000_000);
  const runs = Number(process.argv[3] ?? 1);
  const cleanup = new Cleanup();
  process.once('SIGINT', () => void cleanup.run().then(() => process.exit(130)));
  try {
    for (let run = 1; run <= runs; run++) {
      const db = await createDatabase(cleanup, `iomt_seed_probe_${process.pid}_${run}`);
      const ds = new DataSource(dataSourceOptions(db.url, 1));
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      await ds.destroy();
      const load0 = loadavg()[0];
      const mine = new DatabaseCpu(new URL(db.url).pathname.slice(1));
      const t = await seedInventory(db.url, devices, () => undefined);
      const own = mine.stop();
      const s = (ms: number): string => (ms / 1000).toFixed(1);
      console.log(
        `seed ${devices} devices: ${s(t.seedMs)} s (rows ${s(t.loadMs)} s, indexes ${s(t.indexMs)} s, foreign keys ${s(t.constraintMs)} s; ` +
          `then VACUUM ANALYZE ${s(t.vacuumMs)} s); CPU of the seed's backend and its parallel workers ${own.toFixed(1)} s (seed and vacuum); ` +
          `load average ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
      );
      if (!process.env.SEED_PROBE_KEEP) await db.drop();
      else console.log(`kept ${db.url}`);
    }
  } finally {
    if (!process.env.SEED_PROBE_KEEP) await cleanup.run();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
