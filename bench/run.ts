/**
 * `npm run bench` (bench/README.md): ingest (issue 5), scale-out, and the device list at a
 * million devices (issue 3), each against its own Mosquitto and its own database, cleaned up
 * at the end whatever happens. Prints a summary and writes bench/results/latest.json.
 *
 *   npm run bench -- [--only ingest,presence,detection,scaleout,list,findings,prioritisation,threat-intel,work-orders,churn,million,sse,console,embedded] [--quick] [--devices N] [--messages N] ...
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchContext, BenchOptions, Verdict } from './context';
import { DEFAULT_HIGH_WATER } from '../src/ingest/puback-gate';
import { benchDetection, DetectionResult } from './detection.bench';
import { benchFindings, FindingsResult } from './findings.bench';
import { benchIngest, IngestResult } from './ingest.bench';
import { benchList, ListResult, SLOW_RATIO } from './list.bench';
import { benchPresence, PresenceResult } from './presence.bench';
import { benchPrioritisation, PrioritisationResult, prioritisationSummary } from './prioritisation.bench';
import { benchChurn, ChurnResult } from './churn.bench';
import { benchMillion, MillionResult } from './million.bench';
import { benchEmbedded, EMBEDDED_MODES, EmbeddedMode, EmbeddedResult, embeddedSummary } from './embedded.bench';
import { Cleanup } from './lib/cleanup';
import { ROOT } from './lib/paths';
import { formatCpu as formatCpuLine } from './lib/cpu';
import { formatCeiling } from './lib/ratio-ceiling';
import { ADMIN_URL, withClient } from './lib/seed';
import { round } from './lib/stats';
import { benchScaleOut, ScaleOutResult } from './scaleout.bench';
import { benchSse, SseResult } from './sse.bench';
import { benchThreatIntel, ThreatIntelResult } from './threat-intel.bench';
import { benchWorkOrders, WorkOrdersResult } from './work-orders.bench';
import { benchConsole, ConsoleResult, consoleSummary } from './console.bench';

const CASES = [
  'ingest',
  'presence',
  'detection',
  'scaleout',
  'list',
  'findings',
  'prioritisation',
  'threat-intel',
  'work-orders',
  'churn',
  'million',
  'sse',
  'console',
  'embedded',
] as const;
type CaseName = (typeof CASES)[number];

const FULL = {
  pairs: 3,
  devices: 10_000,
  messages: 200_000,
  latencySeconds: 10,
  scaleDevices: 5_000,
  scaleMessages: 50_000,
  listDevices: 1_000_000,
  listRequests: 200,
  deepPages: 100,
  findingsDevices: 100_000,
  findingsAdvisories: 1_000,
  epssRows: 300_000,
  workOrdersOpen: 20_000,
  workOrdersHeartbeats: 10_000,
  consoleNavigations: 10,
  millionDevices: 1_000_000,
  millionMinutes: 10,
  embeddedMessages: 40_000,
};
const QUICK = {
  pairs: 1,
  devices: 1_000,
  messages: 20_000,
  latencySeconds: 3,
  scaleDevices: 500,
  scaleMessages: 5_000,
  listDevices: 50_000,
  listRequests: 50,
  deepPages: 20,
  findingsDevices: 10_000,
  findingsAdvisories: 100,
  epssRows: 30_000,
  workOrdersOpen: 2_000,
  workOrdersHeartbeats: 1_000,
  consoleNavigations: 5,
  millionDevices: 50_000,
  millionMinutes: 1,
  embeddedMessages: 10_000,
};

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      devices: { type: 'string' },
      messages: { type: 'string' },
      publishers: { type: 'string', default: '3' },
      window: { type: 'string', default: '500' },
      pairs: { type: 'string' },
      'latency-seconds': { type: 'string' },
      'scale-devices': { type: 'string' },
      'scale-messages': { type: 'string' },
      'list-devices': { type: 'string' },
      'list-requests': { type: 'string' },
      'deep-pages': { type: 'string' },
      'findings-devices': { type: 'string' },
      'findings-advisories': { type: 'string' },
      'epss-rows': { type: 'string' },
      'work-orders-open': { type: 'string' },
      'work-orders-heartbeats': { type: 'string' },
      'console-navigations': { type: 'string' },
      'million-devices': { type: 'string' },
      'million-minutes': { type: 'string' },
      'embedded-devices': { type: 'string' },
      'embedded-messages': { type: 'string' },
      'embedded-modes': { type: 'string' },
      'embedded-root': { type: 'string' },
      'time-limit': { type: 'string', default: '570' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'see bench/README.md: npm run bench -- [--only ingest,presence,detection,scaleout,list,findings,prioritisation,threat-intel,work-orders,churn,million,sse,console,embedded] [--quick] [--devices N] [--messages N] [--publishers 2-4] [--window N] [--pairs N] [--latency-seconds S] [--scale-devices N] [--scale-messages N] [--list-devices N] [--list-requests N] [--deep-pages N] [--findings-devices N] [--findings-advisories N] [--epss-rows N] [--work-orders-open N] [--work-orders-heartbeats N] [--console-navigations N] [--million-devices N] [--million-minutes N] [--embedded-devices N] [--embedded-messages N] [--embedded-modes worker,main-thread] [--embedded-root DIR] [--time-limit S]',
    );
    process.exit(0);
  }
  const base = values.quick ? QUICK : FULL;
  const int = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw.replaceAll('_', ''));
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name}: expected an integer from ${min} to ${max}, got ${raw}`);
    return n;
  };
  const only = new Set(
    (values.only ?? CASES.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const c of only) if (!CASES.includes(c as CaseName)) throw new Error(`--only: unknown case ${c} (expected ${CASES.join(', ')})`);
  const embeddedModes = (values['embedded-modes'] ?? EMBEDDED_MODES.join(',')).split(',').map((s) => s.trim());
  for (const m of embeddedModes)
    if (!EMBEDDED_MODES.includes(m as EmbeddedMode)) throw new Error(`--embedded-modes: unknown mode ${m} (expected ${EMBEDDED_MODES.join(', ')})`);
  return {
    only: only as Set<CaseName>,
    devices: int('devices', values.devices, base.devices, 1, 1_000_000),
    messages: int('messages', values.messages, base.messages, 1, 10_000_000),
    publishers: int('publishers', values.publishers, 3, 1, 8),
    window: int('window', values.window, 500, 1, 20_000),
    pairs: int('pairs', values.pairs, base.pairs, 1, 20),
    latencySeconds: int('latency-seconds', values['latency-seconds'], base.latencySeconds, 1, 120),
    scaleDevices: int('scale-devices', values['scale-devices'], base.scaleDevices, 1, 1_000_000),
    scaleMessages: int('scale-messages', values['scale-messages'], base.scaleMessages, 1, 10_000_000),
    listDevices: int('list-devices', values['list-devices'], base.listDevices, 100, 20_000_000),
    listRequests: int('list-requests', values['list-requests'], base.listRequests, 1, 100_000),
    deepPages: int('deep-pages', values['deep-pages'], base.deepPages, 1, 10_000),
    findingsDevices: int('findings-devices', values['findings-devices'], base.findingsDevices, 100, 2_000_000),
    findingsAdvisories: int('findings-advisories', values['findings-advisories'], base.findingsAdvisories, 1, 100_000),
    epssRows: int('epss-rows', values['epss-rows'], base.epssRows, 1, 2_000_000),
    workOrdersOpen: int('work-orders-open', values['work-orders-open'], base.workOrdersOpen, 1, 1_000_000),
    workOrdersHeartbeats: int('work-orders-heartbeats', values['work-orders-heartbeats'], base.workOrdersHeartbeats, 1, 1_000_000),
    consoleNavigations: int('console-navigations', values['console-navigations'], base.consoleNavigations, 1, 1_000),
    millionDevices: int('million-devices', values['million-devices'], base.millionDevices, 1_000, 20_000_000),
    millionMinutes: int('million-minutes', values['million-minutes'], base.millionMinutes, 1, 60),
    embeddedDevices: int('embedded-devices', values['embedded-devices'], 1_000, 1, 100_000),
    embeddedMessages: int('embedded-messages', values['embedded-messages'], base.embeddedMessages, 1, 10_000_000),
    embeddedModes: embeddedModes as EmbeddedMode[],
    embeddedRoot: values['embedded-root'],
    timeLimitS: int('time-limit', values['time-limit'], 570, 10, 86_400),
  };
}

function environment(): Record<string, string> {
  // `mosquitto -h` prints its version and exits non-zero, so read the output whatever the status.
  const tryRun = (cmd: string, args: string[]): string => {
    const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', timeout: 5_000 });
    return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() || 'unknown';
  };
  return {
    node: process.version,
    cpus: `${cpus().length} x ${cpus()[0]?.model ?? '?'}`,
    memoryGb: (totalmem() / 2 ** 30).toFixed(1),
    mosquitto: tryRun('mosquitto', ['-h']).split('\n')[0],
    git: `${tryRun('git', ['rev-parse', '--short', 'HEAD'])}${spawnSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ? ' + uncommitted changes in src/ or migrations/' : ''}`,
  };
}

const ms = (x: number): string => `${x.toFixed(2)} ms`;
const perSec = (x: number): string => `${Math.round(x).toLocaleString('en-US')}/s`;

function printSummary(r: {
  ingest?: IngestResult;
  presence?: PresenceResult;
  detection?: DetectionResult;
  churn?: ChurnResult;
  million?: MillionResult;
  embedded?: EmbeddedResult;
  scaleout?: ScaleOutResult;
  list?: ListResult;
  findings?: FindingsResult;
  prioritisation?: PrioritisationResult;
  threatIntel?: ThreatIntelResult;
  workOrders?: WorkOrdersResult;
  sse?: SseResult;
  console?: ConsoleResult;
  errors: Record<string, string>;
  verdicts: Verdict[];
  wallSeconds: number;
  command: string;
}): void {
  const out: string[] = ['', '================ bench summary ================', `command: ${r.command}`];
  if (r.ingest) {
    const i = r.ingest;
    out.push(
      '',
      `INGEST  ${i.devices} devices, ${i.messages} QoS 1 heartbeats, ${i.publishers} publishers x window ${i.publishWindow}; broker max_inflight_messages=${i.broker.max_inflight_messages?.value}, max_queued_messages=${i.broker.max_queued_messages?.value}`,
      `  raw MQTT.js subscriber      ${perSec(i.raw.msgsPerSec)} (${i.raw.received} received in ${i.raw.seconds.toFixed(2)} s)`,
      `  service committed           ${perSec(i.service.committedPerSec)} (${i.service.seconds.toFixed(2)} s first publish -> all committed; DB clock: ${perSec(i.service.committedPerSecDbClock)}; ${(i.service.firmwareChangeShare * 100).toFixed(0)}% of heartbeats bring new firmware)`,
      `  ratio to raw                ${i.service.ratioToRaw.toFixed(2)}   (target >= 0.7)${i.pairs.length > 1 ? `; the median of ${i.pairs.length} raw-then-service pairs, shown above` : ''}`,
      ...(i.pairs.length > 1
        ? [`  pairs (raw -> committed)    ${i.pairs.map((x) => `${perSec(x.rawPerSec)} -> ${perSec(x.committedPerSec)} (${x.ratio.toFixed(2)})`).join(', ')}`]
        : []),
      `  ceiling on this machine     ${formatCeiling(i.ceiling)}; pairs: ${i.pairs.map((x) => x.ceiling.toFixed(2)).join(', ')} (bench/README.md)`,
      `  worst case                  ${perSec(i.firmwareEveryHeartbeat.committedPerSec)}, ratio ${i.firmwareEveryHeartbeat.ratioToRaw.toFixed(2)}, lost ${i.firmwareEveryHeartbeat.lost}, avg commit ${i.firmwareEveryHeartbeat.avgCommitMs.toFixed(1)} ms (new firmware in every heartbeat)`,
      `  lost                        ${i.service.lost}   (published ${i.service.brokerAcked}, received ${i.service.received}; target 0)`,
      `  final state                 ${i.service.devicesAtNewest}/${i.devices} devices at their newest heartbeat`,
      `  batches                     ${i.service.batches}, avg ${i.service.avgBatchMessages.toFixed(0)} msgs (largest <= ${i.service.largestBatchAtMost}), avg commit ${i.service.avgCommitMs.toFixed(1)} ms; rejected ${i.service.rejected}, commit failures ${i.service.commitFailures}`,
      ...(i.service.batchesOverInflightWindow
        ? [
            `  NOTE                        ${i.service.batchesOverInflightWindow} batches exceeded max_inflight_messages=${i.broker.max_inflight_messages?.value}: this Mosquitto did not hold the service to its in-flight window (2.0.13's changelog lists "fixes around inflight quota management")`,
          ]
        : []),
      `  held uncommitted            at most ${i.service.maxUncommitted} messages (the service stops reading at ${DEFAULT_HIGH_WATER.toLocaleString('en-US')})${i.service.maxUncommitted > DEFAULT_HIGH_WATER * 1.1 ? '  <<<<< the intake pause did not hold' : ''}`,
      `  latency @ ${perSec(i.latency.publishedPerSec)} (half peak) p50 ${ms(i.latency.ms.p50)}, p99 ${ms(i.latency.ms.p99)}, max ${ms(i.latency.ms.max)} over ${i.latency.rows} firmware changes (target p99 <= 1000 ms)`,
      `  peak RSS (VmHWM)            ${i.peakRssMb.toFixed(1)} MB (target <= 300 MB; external PostgreSQL + Mosquitto; the embedded PGlite + Aedes default is not measured here)`,
      `    high-water after each phase: boot ${i.peakRssMbAfter.boot.toFixed(0)} MB, headline ${i.peakRssMbAfter.steady.toFixed(0)} MB, worst case ${i.peakRssMbAfter.firmwareEveryHeartbeat.toFixed(0)} MB, latency ${i.peakRssMbAfter.latency.toFixed(0)} MB`,
    );
  }
  if (r.presence) {
    const p = r.presence;
    out.push(
      '',
      `PRESENCE  PostgreSQL alone: ${p.heartbeats} routine heartbeats on ${p.devices} devices through the service's HeartbeatRepository, batches of ${p.batchSize}, one connection, nothing else running`,
      `  PostgreSQL CPU              ${p.postgresCpuSeconds.toFixed(2)} s = ${p.usPerHeartbeat.toFixed(1)} us a heartbeat (every postgres process)`,
      `  rate                        ${perSec(p.perSec)} (${p.wallSeconds.toFixed(2)} s)`,
    );
  }
  if (r.detection) {
    const d = r.detection;
    out.push(
      '',
      `DETECTION  security events on the heartbeat path: ${d.devices} devices through the service's HeartbeatRepository, SECURITY_EVENTS_DETECTION off and on in alternating rounds of this run`,
      `  rate                        off ${perSec(d.offPerSec)}, on ${perSec(d.onPerSec)} (median of ${d.roundsPerMode} rounds each); on/off ${d.ratio.toFixed(3)} (target >= 0.95)`,
      `  events                      ${d.eventsStored} address_changed stored (${d.addressChangesPerRound} new addresses a round)`,
    );
  }
  if (r.churn) {
    const c = r.churn;
    const line = (x: ChurnResult['naive']): string =>
      `${x.usPerHeartbeat.toFixed(1)} us PG CPU, ${Math.round(x.walBytesPerHeartbeat)} B WAL a heartbeat, ${perSec(x.perSec)} on one connection`;
    out.push('', `CHURN  PostgreSQL alone: every heartbeat brings a new firmware; ${c.heartbeats} per scenario on ${c.devices} devices, batches of 2,500`);
    for (const s of c.scenarios) {
      out.push(
        `  ${s.name}`,
        `    ingest batch              ${line(s.apply)}`,
        `    findings drain            ${line(s.drain)}`,
        `    together                  ${line(s.total)}`,
      );
    }
    out.push(`  naive peer (one UPDATE per heartbeat, primary key only): ${line(c.naive)}`);
  }
  if (r.million) {
    const m = r.million;
    out.push(
      '',
      `MILLION  ${m.devices.toLocaleString('en-US')} devices on real PostgreSQL, ${m.clients} concurrent clients per endpoint`,
      `  seed (set-based)            ${m.seedSeconds.toFixed(1)} s (target <= 60 s): rows ${(m.seed.loadMs / 1000).toFixed(1)} s, indexes ${(m.seed.indexMs / 1000).toFixed(1)} s, foreign keys ${(m.seed.constraintMs / 1000).toFixed(1)} s; VACUUM ANALYZE ${m.vacuumSeconds.toFixed(1)} s`,
      `  advisories via the API      ${m.advisoriesSeconds.toFixed(1)} s for 10 advisories, ${m.openFindings.toLocaleString('en-US')} open findings`,
      `  a year of history           ${m.historyRows.toLocaleString('en-US')} firmware_history rows in ${m.historySeconds.toFixed(1)} s; retention scan ${m.retentionPassSeconds.toFixed(2)} s`,
      `  baseline /manufacturers     p50 ${ms(m.baseline.ms.p50)}, p95 ${ms(m.baseline.ms.p95)} (n=${m.baseline.ms.n})`,
      ...m.cases.map(
        (c) =>
          `  ${c.name.padEnd(27)} p50 ${ms(c.ms.p50)}, p95 ${ms(c.ms.p95)} (x${c.p95Ratio.toFixed(2)} baseline p95; target <= 100 ms), n=${c.ms.n}, errors ${c.errors}`,
      ),
      `  sustained load              ${m.load.publishingDevices.toLocaleString('en-US')} publishing devices, ${perSec(m.load.publishedPerSec)} (target ${perSec(m.load.targetPerSec)}) for 1 + ${m.load.minutes} min; raw MQTT path alone ${perSec(m.load.raw.msgsPerSec)}; load average at the end ${m.load.loadAverage}`,
      `  publish -> committed        first minute p99 ${ms(m.load.latencyFirstMinute.p99)}; after it p50 ${ms(m.load.latencySteady.p50)}, p99 ${ms(m.load.latencySteady.p99)} (target <= 1000 ms), n=${m.load.latencySteady.n}`,
      `  lost                        ${m.load.lost} (acked ${m.load.acked}, received ${m.load.received})`,
      `  RSS every 10 s (MB)         ${m.load.rssMb.map((x) => x.mb.toFixed(0)).join(' ')}`,
      ...m.load.readers.map(
        (r) => `  under load: ${r.name.padEnd(36)} p50 ${ms(r.ms.p50)}, p95 ${ms(r.ms.p95)} (target <= 100 ms), n=${r.ms.n}, errors ${r.errors}`,
      ),
      `  offline sweep               threshold ${m.load.sweep.offlineAfterS} s, every ${m.load.sweep.intervalS} s: ${m.load.sweep.silentOfflineAtEnd}/${m.load.silentDevices} silent devices offline${m.load.sweep.observedAfterLoadS ? ` (watched ${m.load.sweep.observedAfterLoadS.toFixed(0)} s after the load)` : ''}, longest online after the last heartbeat ${m.load.sweep.longestOnlineSilenceS.toFixed(0)} s; ${m.load.sweep.staleOnlineAtEnd} stale online, ${m.load.sweep.wrongOfflineAtEnd} wrongly offline at the end`,
      `  ${formatCpuLine(m.load.cpu)}`,
    );
  }
  if (r.scaleout) {
    const s = r.scaleout;
    out.push(
      '',
      `SCALE-OUT  2 replicas, $share/bench, ${s.devices} devices, ${s.brokerAcked} heartbeats`,
      `  received per replica        ${Object.entries(s.receivedPerInstance)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} = ${s.receivedTotal}`,
      `  committed                   ${perSec(s.committedPerSec)} (${s.seconds.toFixed(2)} s)`,
      `  final state                 ${s.devicesAtNewest}/${s.devices} at the newest heartbeat; ${s.firmwareRollbacks} rollbacks`,
      `  stale replay                ${s.stale.published} older heartbeats: ${s.stale.devicesStillAtNewest}/${s.devices} unchanged, ${s.stale.newHistoryRows} new history rows`,
    );
  }
  if (r.list) {
    const l = r.list;
    out.push(
      '',
      `DEVICE LIST  ${l.devices.toLocaleString('en-US')} devices (seeded ${l.seedSeconds.toFixed(1)} s), up to ${l.requests} sequential requests each (15 s per case at most, 20 at least) over HTTP, admin key; plan = EXPLAIN (ANALYZE, BUFFERS) of the service's own SQL`,
    );
    out.push(`  ${'baseline GET /manufacturers'.padEnd(38)} p50 ${ms(l.baseline.ms.p50).padStart(9)}  p95 ${ms(l.baseline.ms.p95).padStart(9)}`);
    for (const c of l.cases) {
      out.push(
        `  ${c.name.padEnd(38)} p50 ${ms(c.ms.p50).padStart(9)} (x${c.p50Ratio.toFixed(2)})  p95 ${ms(c.ms.p95).padStart(9)} (x${c.p95Ratio.toFixed(2)})  ${c.items} items, n=${c.ms.n}${c.p50Ratio > SLOW_RATIO ? '   <<<<< SLOW' : ''}`,
      );
      if (c.plan)
        out.push(
          `      plan: ${c.plan.nodes}; execution ${ms(c.plan.executionMs)}, buffers hit ${c.plan.sharedHit} read ${c.plan.sharedRead}${c.plan.seqScanOnDevices ? '   <<<<< SEQ SCAN ON devices' : ''}`,
        );
    }
    if (l.seqScans.length)
      out.push(`  !!! SEQUENTIAL SCAN ON devices in: ${l.seqScans.join(', ')} -- see bench/README.md for the index that serves each listing`);
  }
  if (r.findings) {
    const f = r.findings;
    out.push(
      '',
      `FINDINGS  ${f.devices.toLocaleString('en-US')} devices (seeded ${f.seedSeconds.toFixed(1)} s), ${f.advisories} advisories posted over HTTP in ${f.advisoriesSeedSeconds.toFixed(1)} s (POST p50 ${ms(f.advisoryPostMs.p50)}, p95 ${ms(f.advisoryPostMs.p95)}, findings included); ${f.openFindings.toLocaleString('en-US')} open findings`,
      `  ${'baseline GET /manufacturers'.padEnd(38)} p50 ${ms(f.baseline.ms.p50).padStart(9)}  p95 ${ms(f.baseline.ms.p95).padStart(9)}`,
      `  ${'report first page'.padEnd(38)} p50 ${ms(f.reportFirstPage.ms.p50).padStart(9)}  p95 ${ms(f.reportFirstPage.ms.p95).padStart(9)} (x${f.reportFirstPage.p95Ratio.toFixed(2)})  ${f.reportFirstPage.items} items, n=${f.reportFirstPage.ms.n}`,
      `  new advisory on ${f.bigAdvisory.devicesOnModel} devices     POST ${f.bigAdvisory.postMs.toFixed(0)} ms, visible (GET shows ${f.bigAdvisory.affectedDevices}) after ${f.bigAdvisory.visibleMs.toFixed(0)} ms; ${f.bigAdvisory.opened} findings opened`,
    );
  }
  if (r.prioritisation) out.push(...prioritisationSummary(r.prioritisation));
  if (r.embedded) out.push(...embeddedSummary(r.embedded));
  if (r.threatIntel) {
    const x = r.threatIntel;
    const line = (name: string, l: { seconds: number; peakRssMb: number }) =>
      `  ${name.padEnd(38)} ${l.seconds.toFixed(2).padStart(7)} s   peak RSS ${l.peakRssMb.toFixed(0)} MB`;
    out.push(
      '',
      `THREAT INTEL  KEV ${x.kevBytes.toLocaleString('en-US')} bytes (1,404 entries); EPSS ${x.epssRows.toLocaleString('en-US')} rows, ${x.epssCsvBytes.toLocaleString('en-US')} bytes of CSV, ${x.epssGzipBytes.toLocaleString('en-US')} gzip; over HTTP, admin key; service peak RSS after boot ${x.bootPeakRssMb.toFixed(0)} MB`,
      line('KEV catalog, first load', x.kev),
      line('KEV catalog, same version (unchanged)', x.kevAgain),
      line('EPSS day 1 (gzip, empty table)', x.epss),
      line('EPSS day 2 (gzip, every score moves)', x.epssNextDay),
      line('EPSS day 2 again (unchanged)', x.epssAgain),
    );
  }
  if (r.workOrders) {
    const w = r.workOrders;
    out.push(
      '',
      `WORK ORDERS  ${w.devices.toLocaleString('en-US')} devices exposed, ${w.openOrders.toLocaleString('en-US')} open orders (seeded ${w.seedSeconds.toFixed(1)} s); fixed-firmware heartbeats, verification off / on / off`,
      ...w.phases.map(
        (p) =>
          `  ${p.label.padEnd(16)} ${String(p.heartbeats).padStart(6)} heartbeats committed in ${p.committedSeconds.toFixed(2)} s = ${perSec(p.committedPerSec)}${p.verifiedSeconds === null ? '' : `; ${p.ordersDone} orders done after ${p.verifiedSeconds.toFixed(2)} s`}`,
      ),
      `  drop with verification on: ${(w.drop * 100).toFixed(1)} %`,
    );
  }
  if (r.sse) {
    const x = r.sse;
    out.push(
      '',
      `SSE  ${x.devices.toLocaleString('en-US')} devices, ${x.heartbeatsPerPhase.toLocaleString('en-US')} heartbeats per phase; event streams none / open / none; load average ${x.loadAverage}`,
      ...x.phases.map(
        (p) =>
          `  ${`${p.label}${p.streams ? ` (${p.streams})` : ''}`.padEnd(20)} ${String(p.heartbeats).padStart(7)} heartbeats committed in ${p.seconds.toFixed(2)} s = ${perSec(p.committedPerSec)}${p.eventsPerClient ? `; ${p.eventsPerClient.min}-${p.eventsPerClient.max} events read per client` : ''}`,
      ),
      `  ratio with streams / without: ${(1 - x.drop).toFixed(3)}${x.ratios.length > 1 ? ` (median of ${x.ratios.map((r) => r.toFixed(3)).join(', ')})` : ''}; drop ${(x.drop * 100).toFixed(1)} %, target <= 5 %`,
      `  service CPU per heartbeat, streams open / none: ${x.cpuRatio.toFixed(3)} (${x.phases.map((p) => `${p.cpu.processes.service.toFixed(1)} s`).join(', ')})`,
    );
  }
  if (r.console) out.push(...consoleSummary(r.console));
  out.push('', 'TARGETS');
  for (const v of r.verdicts) out.push(`  ${v.met ? 'met   ' : 'MISSED'}  ${v.name}: ${v.figure} (target ${v.target})`);
  for (const [name, message] of Object.entries(r.errors)) out.push(`  FAILED  ${name}: ${message.split('\n')[0]}`);
  out.push('', `wall time ${r.wallSeconds.toFixed(1)} s; results in bench/results/latest.json`);
  console.log(out.join('\n'));
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseOptions(process.argv.slice(2));
  const cleanup = new Cleanup();
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14) + '_' + randomBytes(2).toString('hex');
  const ctx: BenchContext = {
    cleanup,
    options,
    stamp,
    adminKey: `iomt_bench_${randomBytes(16).toString('hex')}`,
    log: (m) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${m}`),
  };
  let interrupted = false;
  const abort = (why: string, code = 130): void => {
    if (interrupted) return;
    interrupted = true;
    console.error(`bench: ${why}; cleaning up`);
    void cleanup.run().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));
  process.on('unhandledRejection', (e) => abort(`unexpected error: ${e instanceof Error ? e.message : String(e)}`, 1));
  const limit = setTimeout(() => abort(`time limit of ${options.timeLimitS} s reached`, 124), options.timeLimitS * 1000);
  limit.unref();

  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const pgVersion = await withClient(ADMIN_URL, async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0].v);
  const env: Record<string, string> = { ...environment(), postgres: pgVersion };
  ctx.log(`bench ${stamp}: ${[...options.only].join(', ')}; ${env.cpus}, ${env.memoryGb} GB, node ${env.node}, PostgreSQL ${pgVersion}, ${env.mosquitto}`);

  const results: {
    ingest?: IngestResult;
    presence?: PresenceResult;
    detection?: DetectionResult;
    scaleout?: ScaleOutResult;
    list?: ListResult;
    findings?: FindingsResult;
    prioritisation?: PrioritisationResult;
    threatIntel?: ThreatIntelResult;
    workOrders?: WorkOrdersResult;
    churn?: ChurnResult;
    million?: MillionResult;
    sse?: SseResult;
    console?: ConsoleResult;
    embedded?: EmbeddedResult;
  } = {};
  const errors: Record<string, string> = {};
  const runners: Record<CaseName, () => Promise<void>> = {
    ingest: async () => void (results.ingest = await benchIngest(ctx)),
    presence: async () => void (results.presence = await benchPresence(ctx)),
    detection: async () => void (results.detection = await benchDetection(ctx)),
    scaleout: async () => void (results.scaleout = await benchScaleOut(ctx)),
    list: async () => void (results.list = await benchList(ctx)),
    findings: async () => void (results.findings = await benchFindings(ctx)),
    prioritisation: async () => void (results.prioritisation = await benchPrioritisation(ctx)),
    'threat-intel': async () => void (results.threatIntel = await benchThreatIntel(ctx)),
    'work-orders': async () => void (results.workOrders = await benchWorkOrders(ctx, options.workOrdersOpen, options.workOrdersHeartbeats)),
    churn: async () => void (results.churn = await benchChurn(ctx)),
    million: async () => void (results.million = await benchMillion(ctx)),
    sse: async () => void (results.sse = await benchSse(ctx)),
    console: async () => void (results.console = await benchConsole(ctx)),
    embedded: async () => void (results.embedded = await benchEmbedded(ctx)),
  };
  try {
    for (const name of CASES) {
      if (!options.only.has(name) || interrupted) continue;
      ctx.log(`---- ${name}`);
      try {
        await runners[name]();
      } catch (e) {
        errors[name] = e instanceof Error ? e.message : String(e);
        ctx.log(`${name} FAILED: ${errors[name]}`);
      }
    }
  } finally {
    await cleanup.run();
    clearTimeout(limit);
  }
  if (interrupted) return;

  const verdicts = [
    ...(results.ingest?.verdicts ?? []),
    ...(results.detection?.verdicts ?? []),
    ...(results.scaleout?.verdicts ?? []),
    ...(results.list?.verdicts ?? []),
    ...(results.findings?.verdicts ?? []),
    ...(results.prioritisation?.verdicts ?? []),
    ...(results.threatIntel?.verdicts ?? []),
    ...(results.workOrders?.verdicts ?? []),
    ...(results.million?.verdicts ?? []),
    ...(results.sse?.verdicts ?? []),
    ...(results.console?.verdicts ?? []),
    ...(results.embedded?.verdicts ?? []),
  ];
  const wallSeconds = (Date.now() - started) / 1000;
  const summary = { command, wallSeconds, errors, verdicts, ...results };
  printSummary(summary);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = {
    finishedAt: new Date().toISOString(),
    command,
    wallSeconds: round(wallSeconds, 1),
    environment: env,
    options: { ...options, only: [...options.only] },
    targets: verdicts,
    errors,
    ...results,
  };
  writeFileSync(join(dir, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
  process.exitCode = Object.keys(errors).length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`bench: FAILED: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
