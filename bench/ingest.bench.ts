import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { CpuMeter, CpuReport, formatCpu } from './lib/cpu';
import { formatCeiling, ratioCeiling, RatioCeiling } from './lib/ratio-ceiling';
import { PublishJob, Publishers, PublishResult } from './lib/publish';
import { startRawSubscriber } from './lib/raw-baseline';
import { createDatabase, seedFleet, vacuumIfAutovacuumOff } from './lib/seed';
import { metric, Metrics, MetricsSampler, ServiceProcess } from './lib/service';
import { round, summarize, Summary } from './lib/stats';
import { waitFor } from './lib/timing';

export interface IngestResult {
  devices: number;
  messages: number;
  publishers: number;
  publishWindow: number;
  broker: Record<string, { value: string; from: string }>;
  /** The pair with the median ratio (of `pairs`). */
  raw: { received: number; seconds: number; msgsPerSec: number; publishedPerSec: number };
  /** Every raw-then-headline pair, in the order run. */
  pairs: Array<{ rawPerSec: number; committedPerSec: number; ratio: number; ceiling: number }>;
  /** The best ratio this machine allows any service (ratio-ceiling.ts), for the median pair. */
  ceiling: RatioCeiling;
  service: {
    published: number;
    brokerAcked: number;
    received: number;
    lost: number;
    seconds: number;
    committedPerSec: number;
    /** Same, with the end taken from the database (last firmware_history row of the final round). */
    committedPerSecDbClock: number;
    ratioToRaw: number;
    finalStateOk: boolean;
    devicesAtNewest: number;
    /** Share of the heartbeats that carried new firmware (the last round of `rounds`). */
    firmwareChangeShare: number;
    rejected: number;
    commitFailures: number;
    batches: number;
    avgBatchMessages: number;
    avgCommitMs: number;
    /** Upper bound of the largest batch (histogram bucket), and batches larger than the broker's in-flight window. */
    largestBatchAtMost: number;
    batchesOverInflightWindow: number | null;
    /** Most messages the service held received but not committed (sampled every 250 ms). */
    maxUncommitted: number;
    maxPendingGauge: number;
  };
  /** Same fleet and volume, every heartbeat a firmware change (the inventory row, history and findings each time). */
  firmwareEveryHeartbeat: { committedPerSec: number; ratioToRaw: number; lost: number; avgCommitMs: number };
  latency: {
    targetRatePerSec: number;
    publishedPerSec: number;
    published: number;
    skipped: number;
    rows: number;
    ms: Summary;
    /** Once a second during the paced phase: what the service had received, had pending, and had committed. */
    timeline: Array<{ s: number; received: number; pending: number; batches: number; commitSeconds: number }>;
  };
  peakRssMb: number;
  /** The same high-water mark read after each phase (it only rises), to tell which phase set it. */
  peakRssMbAfter: { boot: number; steady: number; firmwareEveryHeartbeat: number; latency: number };
  cpu: { raw: CpuReport; service: CpuReport; firmwareEveryHeartbeat: CpuReport; latency: CpuReport };
  verdicts: Verdict[];
}

/** From the batch-size histogram: the smallest bucket holding every batch, and how many batches exceeded `window`. */
function batchSpread(before: Metrics, after: Metrics, window: number): { largestAtMost: number; overWindow: number | null } {
  const buckets = [...after]
    .map(([k, v]) => ({ le: /^iomt_ingest_batch_messages_bucket\{le="([^"]+)"\}$/.exec(k)?.[1], k, v }))
    .filter((b): b is { le: string; k: string; v: number } => b.le !== undefined)
    .map((b) => ({ le: b.le === '+Inf' ? Infinity : Number(b.le), n: b.v - (before.get(b.k) ?? 0) }))
    .sort((x, y) => x.le - y.le);
  const total = buckets[buckets.length - 1]?.n ?? 0;
  const atWindow = buckets.find((b) => b.le === window);
  return { largestAtMost: buckets.find((b) => b.n >= total)?.le ?? NaN, overWindow: atWindow ? total - atWindow.n : null };
}

const sumMetric = (m: Metrics, prefix: string): number => [...m].filter(([k]) => k.startsWith(prefix)).reduce((a, [, v]) => a + v, 0);

type RoundsJob = Extract<PublishJob, { kind: 'rounds' }>;

interface RawRun {
  received: number;
  seconds: number;
  msgsPerSec: number;
  publishedPerSec: number;
  cpu: CpuReport;
}

/** One raw phase and the headline run measured right after it. */
interface PairRun {
  raw: RawRun;
  service: IngestResult['service'];
  cpu: CpuReport;
  /** The best ratio this machine allowed any service in this pair (ratio-ceiling.ts). */
  ceiling: RatioCeiling;
  publishErrors: number;
}

interface CommittedRun {
  before: Metrics;
  after: Metrics;
  pub: PublishResult;
  /** First publish, and the moment every heartbeat was seen committed. */
  t0: number;
  doneAt: number;
  finalVersion: string;
  cpu: CpuReport;
  maxUncommitted: number;
  maxPendingGauge: number;
}

/**
 * Publishes `job` and waits until it is all committed: every device shows the last round's
 * firmware, the service counted every message, and nothing is pending. Polled every 50 ms;
 * the database first (cheap), /metrics after.
 */
async function publishUntilCommitted(a: {
  service: ServiceProcess;
  pg: Client;
  publishers: Publishers;
  brokerPid: number;
  job: RoundsJob;
  devices: number;
  timeoutMs: number;
}): Promise<CommittedRun> {
  const { service, pg, job } = a;
  const total = job.rounds * a.devices;
  const finalVersion = `${job.firmwarePrefix}${job.firstRound + job.rounds - 1}`;
  const before = await service.metrics();
  const receivedBefore = metric(before, 'iomt_heartbeats_received_total');
  const cpu = new CpuMeter({ broker: a.brokerPid, service: service.pid });
  const sampler = new MetricsSampler(service, 250);
  let published: PublishResult | undefined;
  const publishing = a.publishers.run(job).then((r) => (published = r));
  publishing.catch(() => undefined); // awaited below; this only keeps an early failure from being 'unhandled'
  const started = Date.now();
  const doneAt = await waitFor(
    'every heartbeat committed',
    async () => {
      if (!service.alive) throw new Error(`service died:\n${service.logTail()}`);
      const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE firmware_version = $1`, [finalVersion]);
      if (rows[0].n < a.devices) return undefined;
      const m = await service.metrics();
      return metric(m, 'iomt_heartbeats_received_total') - receivedBefore >= total && metric(m, 'iomt_ingest_pending_messages') === 0 ? Date.now() : undefined;
    },
    a.timeoutMs,
    50,
  ).catch(async (e: Error) => {
    const m = await service.metrics().catch(() => new Map());
    throw new Error(
      `${e.message}; received ${metric(m, 'iomt_heartbeats_received_total') - receivedBefore} of ${total}, pending ${metric(m, 'iomt_ingest_pending_messages')}`,
    );
  });
  const cpuReport = cpu.stop();
  const samples = await sampler.stop();
  const uncommitted = samples.map(
    ({ metrics: m }) =>
      metric(m, 'iomt_heartbeats_received_total') -
      receivedBefore -
      (metric(m, 'iomt_ingest_batch_messages_sum') - metric(before, 'iomt_ingest_batch_messages_sum')),
  );
  await publishing;
  return {
    before,
    after: await service.metrics(),
    pub: published!,
    t0: published!.firstPublishMs || started,
    doneAt,
    finalVersion,
    cpu: cpuReport,
    maxUncommitted: Math.max(0, ...uncommitted),
    maxPendingGauge: Math.max(0, ...samples.map(({ metrics: m }) => metric(m, 'iomt_ingest_pending_messages'))),
  };
}

/** How much a /metrics counter rose over one committed run. */
const delta = (run: CommittedRun, name: string): number => metric(run.after, name) - metric(run.before, name);

/** Average commit time of the run's batches, from the service's histogram. */
const avgCommitMs = (run: CommittedRun): number => (delta(run, 'iomt_ingest_batch_seconds_sum') / delta(run, 'iomt_ingest_batch_messages_count')) * 1000;

/** The headline figures of one committed run, against the raw phase measured just before it. */
async function headlineResult(
  pg: Client,
  run: CommittedRun,
  raw: RawRun,
  a: { total: number; devices: number; rounds: number; lastSentAt: Date; inflightWindow: number },
): Promise<PairRun> {
  const { before, after, pub, t0, doneAt } = run;
  const received = delta(run, 'iomt_heartbeats_received_total');
  const seconds = (doneAt - t0) / 1000;
  const committedRate = a.total / seconds;
  const { rows: dbEnd } = await pg.query<{ ms: number }>(
    `SELECT extract(epoch FROM max(changed_at)) * 1000 AS ms FROM firmware_history WHERE to_version = $1 AND source = 'heartbeat'`,
    [run.finalVersion],
  );
  const { rows: state } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM devices d JOIN device_presence p ON p.device_id = d.id
      WHERE d.firmware_version = $1 AND p.last_heartbeat_sent_at = $2 AND p.connectivity = 'online'`,
    [run.finalVersion, a.lastSentAt],
  );
  const batches = delta(run, 'iomt_ingest_batch_messages_count');
  const spread = batchSpread(before, after, a.inflightWindow);
  return {
    raw,
    cpu: run.cpu,
    ceiling: ratioCeiling(raw, run.cpu, a.total),
    publishErrors: pub.errors,
    service: {
      published: pub.published,
      brokerAcked: pub.acked,
      received,
      lost: pub.acked - received,
      seconds,
      committedPerSec: committedRate,
      committedPerSecDbClock: a.total / ((Number(dbEnd[0].ms) - t0) / 1000),
      ratioToRaw: committedRate / raw.msgsPerSec,
      finalStateOk: state[0].n === a.devices,
      devicesAtNewest: state[0].n,
      firmwareChangeShare: 1 / a.rounds,
      rejected: sumMetric(after, 'iomt_heartbeats_rejected_total') - sumMetric(before, 'iomt_heartbeats_rejected_total'),
      commitFailures: delta(run, 'iomt_ingest_commit_failures_total'),
      batches,
      avgBatchMessages: delta(run, 'iomt_ingest_batch_messages_sum') / batches,
      avgCommitMs: avgCommitMs(run),
      largestBatchAtMost: spread.largestAtMost,
      batchesOverInflightWindow: spread.overWindow,
      maxUncommitted: run.maxUncommitted,
      maxPendingGauge: run.maxPendingGauge,
    },
  };
}

/**
 * Issue 5's benchmark: raw MQTT.js receive rate, then the service's committed rate on the same
 * broker and workload, latency at half that rate, and the service's peak RSS.
 */
export async function benchIngest(ctx: BenchContext): Promise<IngestResult> {
  const { options: o, cleanup, log } = ctx;
  const rounds = Math.max(1, Math.round(o.messages / o.devices));
  const total = rounds * o.devices;
  const baseSentAtMs = Date.now() - 3_600_000;
  const broker = await startBroker(cleanup, 'ingest');
  log(
    `broker ${broker.url}: ${Object.entries(broker.config.limits)
      .map(([k, v]) => `${k}=${v.value} (${v.from})`)
      .join(', ')}`,
  );

  // a. The raw baseline, on its own topic with the same payloads and publishers. It alternates
  // with the headline `pairs` times: this machine's speed drifts by a fifth or more between runs
  // minutes apart, so each ratio compares two phases measured back to back, and the pair with
  // the median ratio is the one reported (all pairs are printed).
  const rawIds = Array.from({ length: o.devices }, () => randomUUID());
  const rawSerials = rawIds.map((_, i) => `SN-${i + 1}`);
  const timeoutMs = Math.max(120_000, total / 2);
  const measureRaw = async (pair: number): Promise<RawRun> => {
    const raw = await startRawSubscriber(cleanup, broker.url, 'bench/raw/devices/+/heartbeat', total, timeoutMs);
    const rawCpu = new CpuMeter({ broker: broker.pid, raw_subscriber: raw.pid });
    const rawPublishers = await Publishers.connect(
      cleanup,
      { url: broker.url, label: `raw${pair}`, publishers: o.publishers, window: o.window, topicPrefix: 'bench/raw/devices', ids: rawIds, serials: rawSerials },
      timeoutMs,
    );
    const published = await rawPublishers.run({ kind: 'rounds', firstRound: pair * rounds, rounds, baseSentAtMs, firmwarePrefix: '1.0.' });
    const received = await raw.done;
    const cpu = rawCpu.stop({ raw_subscriber: received.cpuSeconds });
    const seconds = (received.lastMs - received.firstMs) / 1000;
    const run: RawRun = {
      received: received.received,
      seconds,
      msgsPerSec: received.received / seconds,
      publishedPerSec: published.acked / ((published.lastAckMs - published.firstPublishMs) / 1000),
      cpu,
    };
    log(
      `raw ${pair + 1}/${o.pairs}: ${run.received}/${total} received in ${seconds.toFixed(2)} s = ${Math.round(run.msgsPerSec)} msg/s (publishers: ${Math.round(run.publishedPerSec)} msg/s acked)`,
    );
    log(`  ${formatCpu(cpu)}`);
    return run;
  };

  // b. The service on a fresh database, started after the first raw phase (later raw phases run
  // with it idle).
  const firstRaw = await measureRaw(0);
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_ingest`);
  const service = await ServiceProcess.start(cleanup, {
    name: 'ingest',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-ingest',
  });
  const fleet = await seedFleet(db.url, o.devices);
  log(`service up (pid ${service.pid}); seeded ${fleet.ids.length} devices`);
  const rssAfterBoot = service.peakRssMb();
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const forgetPg = cleanup.add('ingest poll connection', () => pg.end());

  // Publishers run one job each, so every phase connects its own. Each phase starts on vacuumed
  // tables, as a server with autovacuum would give it; the first call says so in the log.
  let vacuumLogged = false;
  const committed = async (job: RoundsJob): Promise<CommittedRun> => {
    const vacuumMs = await vacuumIfAutovacuumOff(pg);
    if (vacuumMs !== null && !vacuumLogged) {
      log(`autovacuum is off on this PostgreSQL: VACUUM (ANALYZE) before each phase (${vacuumMs} ms, not timed)`);
      vacuumLogged = true;
    }
    const publishers = await Publishers.connect(
      cleanup,
      { url: broker.url, label: 'ingest', publishers: o.publishers, window: o.window, topicPrefix: 'iomt/v1/devices', ids: fleet.ids, serials: fleet.serials },
      timeoutMs,
    );
    return publishUntilCommitted({ service, pg, publishers, brokerPid: broker.pid, job, devices: o.devices, timeoutMs });
  };

  // b1. The headline: a fleet whose firmware holds still, then one upgrade round (every device
  // reports new firmware in the last round of each pair: 1 heartbeat in `rounds` is a firmware change).
  const pairs: PairRun[] = [];
  let stableFirmware: string | undefined;
  for (let pair = 0; pair < o.pairs; pair++) {
    const raw = pair === 0 ? firstRaw : await measureRaw(pair);
    const firstRound = pair * rounds;
    const run = await committed({
      kind: 'rounds',
      firstRound,
      rounds,
      baseSentAtMs,
      firmwarePrefix: '1.0.',
      firmwareFromRound: firstRound + rounds - 1,
      stableFirmware,
    });
    stableFirmware = run.finalVersion;
    const result = await headlineResult(pg, run, raw, {
      total,
      devices: o.devices,
      rounds,
      lastSentAt: new Date(baseSentAtMs + (firstRound + rounds - 1) * 1000),
      inflightWindow: Number(broker.config.limits.max_inflight_messages?.value ?? NaN),
    });
    const sv = result.service;
    log(
      `service ${pair + 1}/${o.pairs}: ${total} committed in ${sv.seconds.toFixed(2)} s = ${Math.round(sv.committedPerSec)}/s (ratio ${sv.ratioToRaw.toFixed(2)}), ` +
        `received ${sv.received}, lost ${sv.lost}, final state ${sv.devicesAtNewest}/${o.devices}, ` +
        `${sv.batches} batches of ${sv.avgBatchMessages.toFixed(0)} msgs (largest <= ${sv.largestBatchAtMost}; ${sv.batchesOverInflightWindow ?? '?'} above the broker's in-flight window), ${sv.avgCommitMs.toFixed(1)} ms per commit; ` +
        `at most ${sv.maxUncommitted} received-but-uncommitted (pending gauge max ${sv.maxPendingGauge})`,
    );
    log(`  ${formatCpu(run.cpu)}`);
    log(`  ceiling on this machine: ratio ${formatCeiling(result.ceiling)}`);
    pairs.push(result);
  }
  const byRatio = [...pairs].sort((x, y) => x.service.ratioToRaw - y.service.ratioToRaw);
  const median = byRatio[Math.floor((byRatio.length - 1) / 2)];
  const { raw: rawRun, service: serviceResult, cpu: steadyCpu, ceiling } = median;
  const rawRate = rawRun.msgsPerSec;
  const committedRate = serviceResult.committedPerSec;
  const publishErrors = pairs.reduce((a, x) => a + x.publishErrors, 0);
  const lostAll = pairs.reduce((a, x) => a + x.service.lost, 0);
  const stateAll = pairs.every((x) => x.service.finalStateOk);
  if (o.pairs > 1)
    log(`headline: median ratio ${serviceResult.ratioToRaw.toFixed(2)} (pairs: ${pairs.map((x) => x.service.ratioToRaw.toFixed(2)).join(', ')})`);
  const rssAfterSteady = service.peakRssMb();

  // b2. The worst case, same service: every heartbeat carries new firmware, so every one
  // rewrites the inventory row, adds a history row and queues a findings recompute.
  const churnFrom = o.pairs * rounds;
  const churn = await committed({ kind: 'rounds', firstRound: churnFrom, rounds, baseSentAtMs, firmwarePrefix: '1.0.', firmwareFromRound: churnFrom });
  const churnRate = total / ((churn.doneAt - churn.t0) / 1000);
  const firmwareEveryHeartbeat: IngestResult['firmwareEveryHeartbeat'] = {
    committedPerSec: churnRate,
    ratioToRaw: churnRate / rawRate,
    lost: churn.pub.acked - delta(churn, 'iomt_heartbeats_received_total'),
    avgCommitMs: avgCommitMs(churn),
  };
  log(
    `worst case (new firmware in every heartbeat): ${Math.round(firmwareEveryHeartbeat.committedPerSec)}/s (ratio ${firmwareEveryHeartbeat.ratioToRaw.toFixed(2)}), ` +
      `lost ${firmwareEveryHeartbeat.lost}, ${firmwareEveryHeartbeat.avgCommitMs.toFixed(1)} ms per commit`,
  );
  log(`  ${formatCpu(churn.cpu)}`);
  const rssAfterChurn = service.peakRssMb();
  const after = churn.after;

  // c. Latency at half the headline rate, on the headline's mix: one heartbeat in `rounds` brings a
  // new firmware version carrying its publish time, and the service writes
  // firmware_history.changed_at = clock_timestamp() in the commit; those are the samples.
  const targetRate = committedRate / 2;
  await vacuumIfAutovacuumOff(pg);
  const latencyPublishers = await Publishers.connect(
    cleanup,
    { url: broker.url, label: 'latency', publishers: o.publishers, window: o.window, topicPrefix: 'iomt/v1/devices', ids: fleet.ids, serials: fleet.serials },
    o.latencySeconds * 1000 + 60_000,
  );
  const latencyCpu = new CpuMeter({ broker: broker.pid, service: service.pid });
  const latencySampler = new MetricsSampler(service, 1000);
  const latencyStarted = Date.now();
  const lat = await latencyPublishers.run({
    kind: 'paced',
    ratePerSec: targetRate / o.publishers,
    durationMs: o.latencySeconds * 1000,
    firmwareMajor: '2',
    firmwareChangeEvery: rounds,
    baseFirmware: churn.finalVersion,
  });
  const expectReceived = metric(after, 'iomt_heartbeats_received_total') + lat.acked;
  let lastRows = -1;
  await waitFor(
    'latency heartbeats committed',
    async () => {
      const m = await service.metrics();
      if (metric(m, 'iomt_heartbeats_received_total') < expectReceived || metric(m, 'iomt_ingest_pending_messages') !== 0) return undefined;
      const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM firmware_history WHERE source = 'heartbeat' AND to_version LIKE '2.%'`);
      const stable = rows[0].n === lastRows;
      lastRows = rows[0].n;
      return stable ? true : undefined;
    },
    60_000,
    200,
  );
  const latencyCpuReport = latencyCpu.stop();
  const timeline: IngestResult['latency']['timeline'] = (await latencySampler.stop()).map(({ atMs, metrics: m }) => ({
    s: round((atMs - latencyStarted) / 1000, 1),
    received: metric(m, 'iomt_heartbeats_received_total') - metric(after, 'iomt_heartbeats_received_total'),
    pending: metric(m, 'iomt_ingest_pending_messages'),
    batches: metric(m, 'iomt_ingest_batch_messages_count') - metric(after, 'iomt_ingest_batch_messages_count'),
    commitSeconds: round(metric(m, 'iomt_ingest_batch_seconds_sum') - metric(after, 'iomt_ingest_batch_seconds_sum'), 2),
  }));
  const { rows: lrows } = await pg.query<{ ms: number }>(
    `SELECT extract(epoch FROM changed_at) * 1000 - split_part(to_version, '.', 2)::bigint AS ms
       FROM firmware_history WHERE source = 'heartbeat' AND to_version LIKE '2.%'`,
  );
  const latencyMs = summarize(lrows.map((r) => Number(r.ms)));
  const latency: IngestResult['latency'] = {
    targetRatePerSec: targetRate,
    publishedPerSec: lat.published / o.latencySeconds,
    published: lat.published,
    skipped: lat.skipped,
    rows: lrows.length,
    ms: latencyMs,
    timeline,
  };
  log(
    `latency at ${Math.round(latency.publishedPerSec)}/s (target ${Math.round(targetRate)}/s): p50 ${latencyMs.p50.toFixed(1)} ms, p99 ${latencyMs.p99.toFixed(1)} ms over ${lrows.length} firmware changes (${lat.published} published, ${lat.skipped} skipped)`,
  );
  log(`  ${formatCpu(latencyCpuReport)}`);
  log(`  service each second (received / pending / commit s): ${timeline.map((t) => `${t.received}/${t.pending}/${t.commitSeconds}`).join(' ')}`);

  // d. Peak RSS of the service process over the whole case.
  const peakRssMb = service.peakRssMb();
  await service.dispose();
  forgetPg();
  await pg.end();
  await broker.stop();
  await db.drop();

  const verdicts = [
    verdict(
      'ingest: committed/raw ratio',
      `${round(serviceResult.ratioToRaw, 2)} (${Math.round(committedRate)}/s vs ${Math.round(rawRate)}/s${o.pairs > 1 ? `; median of ${o.pairs} pairs: ${byRatio.map((x) => x.service.ratioToRaw.toFixed(2)).join(', ')}` : ''}; this machine's ceiling ${ceiling.ratio.toFixed(2)})`,
      '>= 0.7',
      serviceResult.ratioToRaw >= 0.7,
    ),
    verdict(
      'ingest: lost messages',
      `${lostAll} over ${o.pairs} headline run(s) (worst case: ${firmwareEveryHeartbeat.lost})`,
      '0',
      lostAll === 0 && publishErrors === 0 && firmwareEveryHeartbeat.lost === 0 && churn.pub.errors === 0,
    ),
    verdict(
      'ingest: final state (newest heartbeat applied)',
      `${pairs.map((x) => x.service.devicesAtNewest).join(', ')} of ${o.devices} devices`,
      'all, every run',
      stateAll,
    ),
    verdict(
      'ingest: p99 publish->commit at half rate',
      `${round(latencyMs.p99, 1)} ms (p50 ${round(latencyMs.p50, 1)} ms)`,
      '<= 1000 ms',
      latencyMs.p99 <= 1000,
    ),
    verdict('ingest: peak RSS (VmHWM)', `${round(peakRssMb, 1)} MB`, '<= 300 MB', peakRssMb <= 300),
  ];
  if (lat.skipped > 0 || latency.publishedPerSec < targetRate * 0.9) {
    verdicts.push(
      verdict(
        'ingest: latency publishers kept the pace',
        `${Math.round(latency.publishedPerSec)}/s of ${Math.round(targetRate)}/s, ${lat.skipped} skipped`,
        '>= 90% of target, none skipped',
        false,
      ),
    );
  }
  return {
    devices: o.devices,
    messages: total,
    publishers: o.publishers,
    publishWindow: o.window,
    broker: broker.config.limits,
    raw: { received: rawRun.received, seconds: rawRun.seconds, msgsPerSec: rawRate, publishedPerSec: rawRun.publishedPerSec },
    service: serviceResult,
    pairs: pairs.map((x) => ({
      rawPerSec: x.raw.msgsPerSec,
      committedPerSec: x.service.committedPerSec,
      ratio: x.service.ratioToRaw,
      ceiling: x.ceiling.ratio,
    })),
    ceiling,
    firmwareEveryHeartbeat,
    latency,
    peakRssMb,
    peakRssMbAfter: { boot: rssAfterBoot, steady: rssAfterSteady, firmwareEveryHeartbeat: rssAfterChurn, latency: peakRssMb },
    cpu: { raw: rawRun.cpu, service: steadyCpu, firmwareEveryHeartbeat: churn.cpu, latency: latencyCpuReport },
    verdicts,
  };
}
