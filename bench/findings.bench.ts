import { performance } from 'node:perf_hooks';
import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { createDatabase, seedFleet, seedInventory, withClient } from './lib/seed';
import { ServiceProcess } from './lib/service';
import { summarize, Summary } from './lib/stats';

const REPORT_TARGET_P95_MS = 50;
const VISIBLE_TARGET_MS = 2_000;
const CASE_BUDGET_MS = 15_000;

export interface FindingsResult {
  devices: number;
  advisories: number;
  openFindings: number;
  seedSeconds: number;
  advisoriesSeedSeconds: number;
  /** Per seeded advisory: POST latency, findings included (the engine runs before the answer). */
  advisoryPostMs: Summary;
  baseline: { path: string; ms: Summary };
  reportFirstPage: { path: string; items: number; ms: Summary; p95Ratio: number };
  bigAdvisory: { devicesOnModel: number; postMs: number; visibleMs: number; affectedDevices: number; opened: number };
  verdicts: Verdict[];
}

/** Range forms the native API takes, so that the seeded advisories exercise each parser. */
function rangeFor(i: number): { versions: string; fixedVersion?: string } {
  const major = 1 + (i % 3);
  const minor = i % 10;
  switch (i % 5) {
    case 0:
      return { versions: `<${major}.${minor}.0`, fixedVersion: `${major}.${minor}.0` };
    case 1:
      return { versions: `>=${major}.0.0 <${major}.${minor}.5`, fixedVersion: `${major}.${minor}.5` };
    case 2:
      return { versions: `vers:generic/>=1.0.0|<${major}.${minor}.9`, fixedVersion: `${major}.${minor}.9` };
    case 3:
      return { versions: `<=${major}.${minor}.3 || >=3.9.0 <3.9.5`, fixedVersion: `${major}.${minor}.4` };
    default:
      return { versions: i % 50 === 4 ? '*' : `<${major}.5.0`, ...(i % 50 === 4 ? {} : { fixedVersion: `${major}.5.0` }) };
  }
}

/**
 * Issue 4's targets: with `findingsDevices` devices (half a hospital-group inventory over 50
 * models, half one big fleet of one model) and `findingsAdvisories` advisories posted through
 * the API (so the findings engine computes every finding), the outdated-firmware report's first
 * page p95, and how long a new advisory on the big fleet takes until its findings are visible.
 */
export async function benchFindings(ctx: BenchContext): Promise<FindingsResult> {
  const { options: o, cleanup, log } = ctx;
  const broker = await startBroker(cleanup, 'findings');
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_findings`);
  // Every advisory comes from this one address, faster than a minute's allowance of writes
  // (1,000 by default) once the engine got quicker: the limit is for clients, not for the bench.
  const service = await ServiceProcess.start(cleanup, {
    name: 'findings',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-findings',
    offlineAfterS: 86_400,
    writesPerMin: 1_000_000,
  });
  const bigFleet = Math.floor(o.findingsDevices / 2);
  log(`service up; seeding ${o.findingsDevices - bigFleet} inventory devices + a fleet of ${bigFleet} on one model`);
  const started = Date.now();
  // Inventory first: its devices spread over every model present, and the fleet's model must not be one.
  await seedInventory(db.url, o.findingsDevices - bigFleet, () => undefined);
  const fleet = await seedFleet(db.url, bigFleet);
  const seedSeconds = (Date.now() - started) / 1000;

  const { models, bigModel } = await withClient(db.url, async (c) => ({
    models: (
      await c.query<{ id: string; manufacturer_id: string }>(
        `SELECT id, manufacturer_id FROM device_models WHERE model_number LIKE 'BM%' ORDER BY model_number`,
      )
    ).rows,
    bigModel: (await c.query<{ id: string; manufacturer_id: string }>(`SELECT id, manufacturer_id FROM device_models WHERE model_number = 'BENCH-PUMP'`))
      .rows[0],
  }));

  log(`posting ${o.findingsAdvisories} advisories over ${models.length} models`);
  const postSamples: number[] = [];
  const advStarted = Date.now();
  for (let i = 0; i < o.findingsAdvisories; i++) {
    const model = models[i % models.length];
    const t = performance.now();
    await service.postJson('/api/v1/advisories', {
      manufacturerId: model.manufacturer_id,
      title: `Bench advisory ${i}`,
      cves: [`CVE-2026-${String(10_000 + i)}`],
      cvssScore: Math.round((3 + (i % 70) / 10) * 10) / 10,
      affected: [{ modelId: model.id, ...rangeFor(i) }],
    });
    postSamples.push(performance.now() - t);
    if ((i + 1) % 200 === 0) log(`  ${i + 1} advisories (${((Date.now() - advStarted) / 1000).toFixed(1)} s)`);
  }
  const advisoriesSeedSeconds = (Date.now() - advStarted) / 1000;
  const openFindings = await withClient(db.url, async (c) => {
    await c.query('VACUUM (ANALYZE)');
    return Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM findings WHERE status = 'open'`)).rows[0].n);
  });
  log(`${o.findingsAdvisories} advisories in ${advisoriesSeedSeconds.toFixed(1)} s; ${openFindings} open findings`);

  const time = (path: string) => service.timeGet(path, { warmups: 10, requests: o.listRequests, minSamples: 20, budgetMs: CASE_BUDGET_MS });
  const baselinePath = '/api/v1/manufacturers';
  const baseline = await time(baselinePath);
  const reportPath = '/api/v1/reports/outdated-firmware';
  const report = await time(reportPath);
  log(
    `report first page: p50 ${report.ms.p50.toFixed(2)} ms, p95 ${report.ms.p95.toFixed(2)} ms (${report.items} items; baseline p95 ${baseline.ms.p95.toFixed(2)} ms)`,
  );

  // Visible = the API says so: the POST answers after the engine ran, then a read confirms.
  const t0 = performance.now();
  const created = await service.postJson<{ id: string }>('/api/v1/advisories', {
    manufacturerId: bigModel.manufacturer_id,
    title: 'Bench advisory on the big fleet',
    cvssScore: 9.8,
    affected: [{ modelId: bigModel.id, versions: '<2.0.0', fixedVersion: '2.0.0' }],
  });
  const postMs = performance.now() - t0;
  const details = await service.getJson<{ affectedDevices: number }>(`/api/v1/advisories/${created.id}`);
  const visibleMs = performance.now() - t0;
  const opened = await withClient(db.url, async (c) =>
    Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM findings WHERE advisory_id = $1 AND status = 'open'`, [created.id])).rows[0].n),
  );
  log(`big advisory: POST ${postMs.toFixed(0)} ms, visible after ${visibleMs.toFixed(0)} ms, ${details.affectedDevices} devices affected`);

  await service.dispose();
  await broker.stop();
  await db.drop();

  const p95Ratio = report.ms.p95 / baseline.ms.p95;
  return {
    devices: o.findingsDevices,
    advisories: o.findingsAdvisories,
    openFindings,
    seedSeconds,
    advisoriesSeedSeconds,
    advisoryPostMs: summarize(postSamples),
    baseline: { path: baselinePath, ms: baseline.ms },
    reportFirstPage: { path: reportPath, items: report.items, ms: report.ms, p95Ratio },
    bigAdvisory: { devicesOnModel: fleet.ids.length, postMs, visibleMs, affectedDevices: details.affectedDevices, opened },
    verdicts: [
      verdict(
        `findings: report first page p95 (${o.findingsDevices} devices, ${o.findingsAdvisories} advisories)`,
        `${report.ms.p95.toFixed(2)} ms (x${p95Ratio.toFixed(2)} the baseline p95)`,
        `<= ${REPORT_TARGET_P95_MS} ms`,
        report.ms.p95 <= REPORT_TARGET_P95_MS,
      ),
      verdict(
        `findings: new advisory on ${fleet.ids.length} devices visible`,
        `${visibleMs.toFixed(0)} ms, ${details.affectedDevices} devices`,
        `<= ${VISIBLE_TARGET_MS} ms, all ${fleet.ids.length}`,
        visibleMs <= VISIBLE_TARGET_MS && details.affectedDevices === fleet.ids.length,
      ),
    ],
  };
}
