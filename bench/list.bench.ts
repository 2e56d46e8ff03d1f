import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { DeviceListSql, explain, PlanSummary } from './lib/explain';
import { createDatabase, seedInventory, withClient } from './lib/seed';
import { ServiceProcess } from './lib/service';
import { Summary } from './lib/stats';
import type { DeviceQueryDto } from '../src/inventory/dto/device-query.dto';

const WARMUP_BUDGET_MS = 3_000;
const CASE_BUDGET_MS = 15_000;
const MIN_SAMPLES = 20;

/** A listing slower than this multiple of the tiny authenticated baseline is flagged. */
export const SLOW_RATIO = 5;

interface Page {
  items: unknown[];
  nextCursor: string | null;
}

export interface ListCase {
  name: string;
  path: string;
  items: number;
  ms: Summary;
  p50Ratio: number;
  p95Ratio: number;
  plan?: PlanSummary;
}

export interface ListResult {
  devices: number;
  seedSeconds: number;
  vacuumSeconds: number;
  requests: number;
  baseline: { path: string; ms: Summary };
  cases: ListCase[];
  seqScans: string[];
  verdicts: Verdict[];
}

/**
 * Issue 3's device list at a million devices, over HTTP with an admin key, against the
 * service's own schema (it migrates the database at boot; the bench seeds after).
 */
export async function benchList(ctx: BenchContext): Promise<ListResult> {
  const { options: o, cleanup, log } = ctx;
  const broker = await startBroker(cleanup, 'list');
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_list`);
  // A day before "offline": the sweeper must not rewrite seeded rows in the middle of the timing
  // (seeded online devices were seen in the last 20 h, offline ones 1-30 days ago).
  const service = await ServiceProcess.start(cleanup, {
    name: 'list',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-list',
    offlineAfterS: 86_400,
  });
  log(`service up (pid ${service.pid}); seeding ${o.listDevices} devices`);
  const seeded = await seedInventory(db.url, o.listDevices, (done, ms) => log(`  seeded ${done} devices (${(ms / 1000).toFixed(1)} s)`));
  log(`seeded in ${(seeded.seedMs / 1000).toFixed(1)} s, VACUUM ANALYZE ${(seeded.vacuumMs / 1000).toFixed(1)} s`);
  const manufacturerId = await withClient(
    db.url,
    async (c) => (await c.query<{ id: string }>(`SELECT id FROM manufacturers WHERE name = 'Bench Manufacturer 3'`)).rows[0].id,
  );

  const time = (path: string) =>
    service.timeGet(path, {
      warmups: Math.min(20, Math.ceil(o.listRequests / 10)),
      warmupBudgetMs: WARMUP_BUDGET_MS,
      requests: o.listRequests,
      minSamples: MIN_SAMPLES,
      budgetMs: CASE_BUDGET_MS,
    });

  // The cursor of page deepPages + 1, reached by following nextCursor from the first page.
  let cursor: string | null = null;
  for (let i = 0; i < o.deepPages; i++) {
    const page: Page = await service.getJson<Page>(`/api/v1/devices?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
    if (!page.nextCursor) throw new Error(`the listing ended after ${i + 1} pages`);
    cursor = page.nextCursor;
  }

  const baselinePath = '/api/v1/manufacturers';
  const baseline = await time(baselinePath);
  log(`baseline ${baselinePath}: p50 ${baseline.ms.p50.toFixed(2)} ms, p95 ${baseline.ms.p95.toFixed(2)} ms`);
  const cases: Array<{ name: string; query: Partial<DeviceQueryDto> }> = [
    { name: 'first page', query: { limit: 50 } },
    { name: 'filtered (department + online)', query: { limit: 50, department: 'Cardiology', connectivity: 'online' } },
    { name: 'manufacturer (join)', query: { limit: 50, manufacturerId } },
    { name: `deep page (after ${o.deepPages} pages)`, query: { limit: 50, cursor: cursor! } },
    { name: 'prefix search q=SN-12345', query: { limit: 50, q: 'SN-12345' } },
    { name: 'sort=lastSeenAt desc', query: { limit: 50, sort: 'lastSeenAt', order: 'desc' } },
    // Not in the brief: IT's natural "offline devices, most recently seen first".
    { name: 'extra: offline, sort=lastSeenAt desc', query: { limit: 50, connectivity: 'offline', sort: 'lastSeenAt', order: 'desc' } },
  ];
  const sql = await DeviceListSql.open(db.url);
  const results: ListCase[] = [];
  try {
    for (const c of cases) {
      const path = `/api/v1/devices?${new URLSearchParams(Object.entries(c.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
      const t = await time(path);
      const statement = await sql.sqlFor(c.query);
      const plan = await explain(db.url, statement.sql, statement.params);
      results.push({ name: c.name, path, items: t.items, ms: t.ms, p50Ratio: t.ms.p50 / baseline.ms.p50, p95Ratio: t.ms.p95 / baseline.ms.p95, plan });
      log(
        `${c.name} (n=${t.ms.n}): p50 ${t.ms.p50.toFixed(2)} ms (x${(t.ms.p50 / baseline.ms.p50).toFixed(2)}), p95 ${t.ms.p95.toFixed(2)} ms, ${t.items} items; plan: ${plan.nodes}; SQL ${plan.executionMs.toFixed(2)} ms`,
      );
    }
  } finally {
    await sql.close();
  }
  await service.dispose();
  await broker.stop();
  await db.drop();

  const seqScans = results.filter((r) => r.plan?.seqScanOnDevices).map((r) => r.name);
  const slow = results.filter((r) => r.p50Ratio > SLOW_RATIO);
  const first = results[0];
  const deep = results[3];
  return {
    devices: o.listDevices,
    seedSeconds: seeded.seedMs / 1000,
    vacuumSeconds: seeded.vacuumMs / 1000,
    requests: o.listRequests,
    baseline: { path: baselinePath, ms: baseline.ms },
    cases: results,
    seqScans,
    verdicts: [
      verdict('list: no sequential scan of devices', seqScans.length ? `Seq Scan in: ${seqScans.join(', ')}` : 'none', 'none', seqScans.length === 0),
      verdict(
        `list: every listing within ${SLOW_RATIO}x the baseline p50 (the bench's own bar for "fast")`,
        slow.length
          ? slow.map((r) => `${r.name} x${r.p50Ratio.toFixed(0)} (${r.ms.p50.toFixed(0)} ms)`).join('; ')
          : `worst x${Math.max(...results.map((r) => r.p50Ratio)).toFixed(2)}`,
        `<= ${SLOW_RATIO}x`,
        slow.length === 0,
      ),
      verdict(
        'list: deep page costs what page 1 costs (keyset)',
        `p50 ${deep.ms.p50.toFixed(2)} vs ${first.ms.p50.toFixed(2)} ms`,
        '<= 2x',
        deep.ms.p50 <= 2 * first.ms.p50,
      ),
    ],
  };
}
