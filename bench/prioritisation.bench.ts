import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEVICE_CLASS_SQL } from '../src/prioritisation/finding-priorities.repository';
import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { createDatabase, seedFleet, seedInventory, withClient } from './lib/seed';
import { ServiceProcess } from './lib/service';
import { Summary } from './lib/stats';

const RECOMPUTE_TARGET_MS = 5_000;
const REPORT_TARGET_P95_MS = 50;
const CASE_BUDGET_MS = 15_000;
const KEV_ENTRIES = 1_404;
const EPSS_ROWS = 300_000;

export interface PrioritisationResult {
  devices: number;
  advisories: number;
  openFindings: number;
  kevEntries: number;
  epssRows: number;
  seedSeconds: number;
  /** PUT /remediation-policy: every decision (cell) made from nothing (scope all) before the answer; findings classed as opening gives them. */
  firstRecomputeMs: number;
  /** PostgreSQL backends' CPU time over the same request (user + system, from /proc/<pid>/stat). */
  firstRecomputeBackendCpuMs: number | null;
  /** The same with every decision already stored: only due dates move. */
  policyChangeMs: number;
  policyChangeBackendCpuMs: number | null;
  /** As an upgraded database has it: no cell and no finding classed, so every open finding is written once too. */
  unclassedRecomputeMs: number;
  unclassedRecomputeBackendCpuMs: number | null;
  decisions: Record<string, number>;
  baseline: { path: string; ms: Summary };
  reportFirstPage: { path: string; items: number; ms: Summary };
  reportImmediate: { path: string; items: number; ms: Summary };
  verdicts: Verdict[];
}

/**
 * Issue 15's targets: with `findingsDevices` devices (half over 50 models, half one fleet) and
 * `findingsAdvisories` advisories whose findings are written set-based (the findings bench
 * measures opening them through the API), a loaded KEV catalog and a day of EPSS scores
 * (synthetic, of their published sizes), and every SSVC input spread over the devices: how long
 * the service takes to decide every open finding again, and the report's first page p95 in its
 * decision, EPSS, CVSS order.
 */
export async function benchPrioritisation(ctx: BenchContext): Promise<PrioritisationResult> {
  const { options: o, cleanup, log } = ctx;
  const broker = await startBroker(cleanup, 'prioritisation');
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_prioritisation`);
  const service = await ServiceProcess.start(cleanup, {
    name: 'prioritisation',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-prioritisation',
    offlineAfterS: 86_400,
    writesPerMin: 1_000_000,
  });
  const started = Date.now();
  const bigFleet = Math.floor(o.findingsDevices / 2);
  await seedInventory(db.url, o.findingsDevices - bigFleet, () => undefined);
  await seedFleet(db.url, bigFleet);
  log(`seeded ${o.findingsDevices} devices; writing ${o.findingsAdvisories} advisories, their findings, KEV and EPSS`);
  const openFindings = await withClient(db.url, (c) => seedThreats(c, o.findingsAdvisories));
  const seedSeconds = (Date.now() - started) / 1000;
  log(`${openFindings} open findings; seed ${seedSeconds.toFixed(1)} s`);

  const policy = (outOfCycle: string) => ({ due: { immediate: 'P2D', out_of_cycle: outOfCycle, scheduled: 'P90D', defer: null } });
  const timed = async (outOfCycle: string) => {
    const cpu = await backendCpuMs(db.url);
    const t = performance.now();
    await service.putJson('/api/v1/remediation-policy', policy(outOfCycle));
    const ms = performance.now() - t;
    const after = await backendCpuMs(db.url);
    return { ms, cpuMs: cpu === null || after === null ? null : after - cpu };
  };
  const first = await timed('P15D');
  const change = await timed('P14D');
  log(
    `every decision: ${first.ms.toFixed(0)} ms (backend CPU ${first.cpuMs} ms); a policy change: ${change.ms.toFixed(0)} ms (backend CPU ${change.cpuMs} ms)`,
  );
  // An upgraded database's first recompute: no cell, and no finding has its device's class yet.
  await withClient(db.url, async (c) => {
    await c.query(`DELETE FROM decision_cells`);
    await c.query(`UPDATE findings SET device_class = NULL, class_since = NULL, carried_since = NULL WHERE device_class IS NOT NULL`);
    await c.query('VACUUM (ANALYZE) findings, decision_cells');
  });
  const unclassed = await timed('P15D');
  log(`every decision and every finding's class: ${unclassed.ms.toFixed(0)} ms (backend CPU ${unclassed.cpuMs} ms)`);
  const firstRecomputeMs = first.ms;
  const policyChangeMs = change.ms;

  const decisions = await withClient(db.url, async (c) => {
    await c.query('VACUUM (ANALYZE)');
    const { rows } = await c.query<{ decision: string | null; n: string }>(
      `SELECT dc.decision, count(*) AS n FROM findings f
         LEFT JOIN decision_cells dc ON dc.advisory_id = f.advisory_id AND dc.device_class = f.device_class
        WHERE f.status = 'open' GROUP BY 1`,
    );
    return Object.fromEntries(rows.map((r) => [r.decision ?? 'none', Number(r.n)]));
  });

  const time = (path: string) => service.timeGet(path, { warmups: 10, requests: o.listRequests, minSamples: 20, budgetMs: CASE_BUDGET_MS });
  const baselinePath = '/api/v1/manufacturers';
  const baseline = await time(baselinePath);
  const reportPath = '/api/v1/reports/outdated-firmware';
  const report = await time(reportPath);
  const immediatePath = '/api/v1/reports/outdated-firmware?decision=immediate&inKev=true';
  const immediate = await time(immediatePath);
  log(`report first page p95 ${report.ms.p95.toFixed(2)} ms; immediate + KEV p95 ${immediate.ms.p95.toFixed(2)} ms`);

  await service.dispose();
  await broker.stop();
  await db.drop();
  return {
    devices: o.findingsDevices,
    advisories: o.findingsAdvisories,
    openFindings,
    kevEntries: KEV_ENTRIES,
    epssRows: EPSS_ROWS,
    seedSeconds,
    firstRecomputeMs,
    firstRecomputeBackendCpuMs: first.cpuMs,
    policyChangeMs,
    policyChangeBackendCpuMs: change.cpuMs,
    unclassedRecomputeMs: unclassed.ms,
    unclassedRecomputeBackendCpuMs: unclassed.cpuMs,
    decisions,
    baseline: { path: baselinePath, ms: baseline.ms },
    reportFirstPage: { path: reportPath, items: report.items, ms: report.ms },
    reportImmediate: { path: immediatePath, items: immediate.items, ms: immediate.ms },
    verdicts: [
      verdict(
        `prioritisation: every decision (${o.findingsDevices} devices, ${o.findingsAdvisories} advisories, ${openFindings} findings)`,
        `${firstRecomputeMs.toFixed(0)} ms`,
        `<= ${RECOMPUTE_TARGET_MS} ms`,
        firstRecomputeMs <= RECOMPUTE_TARGET_MS,
      ),
      verdict(
        'prioritisation: report first page p95, sorted by decision',
        `${report.ms.p95.toFixed(2)} ms`,
        `<= ${REPORT_TARGET_P95_MS} ms`,
        report.ms.p95 <= REPORT_TARGET_P95_MS,
      ),
    ],
  };
}

/**
 * Advisories on the inventory's models (two on the fleet's), each device open to two in five of
 * its model's (a finding each, set-based, with the summary the findings module keeps), a KEV catalog
 * listing a tenth of their CVEs among others, EPSS scores for every CVE, and the devices' and
 * models' SSVC inputs spread over their values (a fifth left unset).
 */
export async function seedThreats(c: import('pg').Client, advisories: number): Promise<number> {
  // The advisories' insert triggers queue findings recomputes; the findings are written below, so
  // the queue entries are dropped in the same transaction, before the service's worker sees them.
  await c.query('BEGIN');
  await c.query(
    `WITH models AS (SELECT id, manufacturer_id, row_number() OVER (ORDER BY (model_number = 'BENCH-PUMP') DESC, model_number) - 1 AS n FROM device_models),
          a AS (
            INSERT INTO advisories (manufacturer_id, title, source, cves, cvss_score, cvss_vector, severity, exploitation)
            SELECT m.manufacturer_id, 'Bench advisory ' || i, 'manual', ARRAY['CVE-2026-' || (10000 + i)], 3 + (i % 70) / 10.0,
                   CASE i % 3 WHEN 0 THEN 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' WHEN 1 THEN 'CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' END,
                   'high', CASE i % 4 WHEN 0 THEN 'public_poc' WHEN 1 THEN 'none' END
              FROM generate_series(0, $1::int - 1) i
              JOIN models m ON m.n = CASE WHEN i < 2 THEN 0 ELSE 1 + i % ((SELECT count(*) FROM models) - 1) END
            RETURNING id, manufacturer_id, (regexp_match(title, '\\d+$'))[1]::int AS i)
     INSERT INTO advisory_affected (advisory_id, model_id, versions)
     SELECT a.id, m.id, '*' FROM a JOIN models m ON m.n = CASE WHEN a.i < 2 THEN 0 ELSE 1 + a.i % ((SELECT count(*) FROM models) - 1) END`,
    [advisories],
  );
  await c.query(`DELETE FROM findings_recompute_queue`);
  await c.query('COMMIT');
  // Each device of an inventory model in two of its model's advisories out of five (as the
  // findings case's version ranges roughly give); the fleet in both of its own.
  await c.query(
    `INSERT INTO findings (device_id, advisory_id, status, firmware_at_detection, affected_versions)
     SELECT d.id, x.advisory_id, 'open', d.firmware_version, x.versions
       FROM advisory_affected x JOIN devices d ON d.model_id = x.model_id JOIN device_models m ON m.id = d.model_id
      WHERE m.model_number = 'BENCH-PUMP' OR abs(hashtext(d.id::text || x.advisory_id::text)) % 5 < 2`,
  );
  await c.query(
    `INSERT INTO device_exposure (device_id, open_findings, max_cvss, max_severity_rank, first_detected_at, model_id, department, decommissioned)
     SELECT f.device_id, count(*), max(a.cvss_score), 4, min(f.detected_at), d.model_id, d.department, d.status = 'decommissioned'
       FROM findings f JOIN advisories a ON a.id = f.advisory_id JOIN devices d ON d.id = f.device_id GROUP BY f.device_id, d.id`,
  );
  await c.query(
    `INSERT INTO kev_entries (cve, vendor_project, product, vulnerability_name, date_added, known_ransomware)
     SELECT cve, 'Bench', 'Bench product', 'Bench vulnerability', DATE '2024-01-01', n % 7 = 0
       FROM (SELECT 'CVE-2026-' || (10000 + i) AS cve, i AS n FROM generate_series(0, $1::int - 1, 10) i
             UNION ALL SELECT 'CVE-2019-' || (100000 + i), i FROM generate_series(1, $2::int - ceil($1::int / 10.0)::int) i) k`,
    [advisories, KEV_ENTRIES],
  );
  await c.query(
    `INSERT INTO epss_scores (cve, epss, percentile)
     SELECT cve, round(random()::numeric, 5), round(random()::numeric, 5)
       FROM (SELECT 'CVE-2026-' || (10000 + i) AS cve FROM generate_series(0, $1::int - 1) i
             UNION ALL SELECT 'CVE-2020-' || (100000 + i) FROM generate_series(1, $2::int - $1::int) i) e`,
    [advisories, EPSS_ROWS],
  );
  await c.query(
    `UPDATE devices SET system_exposure = (ARRAY[NULL, 'small', 'controlled', 'open', 'controlled'])[1 + abs(hashtext(id::text)) % 5],
                        mission_impact = (ARRAY[NULL, 'degraded', 'mef_support_crippled', 'mef_failure', 'mission_failure'])[1 + abs(hashtext(serial_number)) % 5],
                        safety_impact = CASE WHEN abs(hashtext(id::text)) % 10 = 0 THEN 'critical' END`,
  );
  await c.query(
    `UPDATE device_models SET safety_impact = (ARRAY[NULL, 'negligible', 'marginal', 'critical', 'catastrophic'])[1 + abs(hashtext(id::text)) % 5]`,
  );
  // Opening a finding gives it its device's class (the findings module does it in the same
  // transaction); the decisions themselves, one per advisory and class, are left to the service.
  await c.query(
    `UPDATE findings f SET device_class = ${DEVICE_CLASS_SQL}, class_since = f.detected_at
       FROM devices d JOIN device_models dm ON dm.id = d.model_id
      WHERE d.id = f.device_id AND f.status = 'open'`,
  );
  await c.query('VACUUM (ANALYZE)');
  return Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM findings WHERE status = 'open'`)).rows[0].n);
}

export function prioritisationSummary(p: PrioritisationResult): string[] {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const cpu = (x: number | null) => (x === null ? 'not measured' : `${x} ms`);
  return [
    '',
    `PRIORITISATION  ${p.devices.toLocaleString('en-US')} devices, ${p.advisories} advisories, ${p.openFindings.toLocaleString('en-US')} open findings, KEV ${p.kevEntries} entries, EPSS ${p.epssRows.toLocaleString('en-US')} rows (seeded ${p.seedSeconds.toFixed(1)} s)`,
    `  every decision (PUT policy)           ${p.firstRecomputeMs.toFixed(0)} ms (backend CPU ${cpu(p.firstRecomputeBackendCpuMs)}); a policy change with decisions stored: ${p.policyChangeMs.toFixed(0)} ms (backend CPU ${cpu(p.policyChangeBackendCpuMs)})`,
    `  every decision, findings unclassed    ${p.unclassedRecomputeMs.toFixed(0)} ms (backend CPU ${cpu(p.unclassedRecomputeBackendCpuMs)})`,
    `  decisions                             ${Object.entries(p.decisions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  ${'baseline GET /manufacturers'.padEnd(38)} p50 ${ms(p.baseline.ms.p50).padStart(9)}  p95 ${ms(p.baseline.ms.p95).padStart(9)}`,
    `  ${'report first page (decision order)'.padEnd(38)} p50 ${ms(p.reportFirstPage.ms.p50).padStart(9)}  p95 ${ms(p.reportFirstPage.ms.p95).padStart(9)}  ${p.reportFirstPage.items} items, n=${p.reportFirstPage.ms.n}`,
    `  ${'report ?decision=immediate&inKev=true'.padEnd(38)} p50 ${ms(p.reportImmediate.ms.p50).padStart(9)}  p95 ${ms(p.reportImmediate.ms.p95).padStart(9)}  ${p.reportImmediate.items} items, n=${p.reportImmediate.ms.n}`,
  ];
}

/**
 * CPU time (user + system, ms) of every PostgreSQL backend connected to the bench's database,
 * from /proc/<pid>/stat; null where /proc cannot be read (another host, another OS). Wall time
 * on a shared machine says more about the load than about the statements.
 */
async function backendCpuMs(url: string): Promise<number | null> {
  const pids = await withClient(url, async (c) => {
    const { rows } = await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return rows.map((r) => r.pid);
  });
  let ticks = 0;
  try {
    for (const pid of pids) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields 14 and 15 of stat (utime, stime), counted after the command's closing parenthesis.
      ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return null;
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}
