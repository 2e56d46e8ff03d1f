import { Client } from 'pg';
import { BenchContext } from './context';
import { Broker } from './lib/broker';
import { ConcurrentReaders, ReaderFigures, ReaderTask } from './lib/concurrent-readers';
import { CpuMeter, CpuReport, formatCpu } from './lib/cpu';
import { Publishers } from './lib/publish';
import { startRawSubscriber } from './lib/raw-baseline';
import { metric, procStatusKb, ServiceProcess } from './lib/service';
import { round, summarize, Summary } from './lib/stats';
import { sleep, waitFor } from './lib/timing';

/** The service's offline threshold in this case: two missed heartbeats of a once-a-minute fleet. */
export const LOAD_OFFLINE_AFTER_S = 120;
/** What ConnectivitySweeper derives from it (a tenth, 1-30 s). */
const SWEEP_INTERVAL_S = Math.max(1, Math.min(30, LOAD_OFFLINE_AFTER_S / 10));
/** One heartbeat in this many brings a unique firmware carrying its publish time: the latency samples. */
const SAMPLE_EVERY = 200;
/** One device in this many (of each publisher's share) falls silent after the first minute: the sweep's subjects. */
const SILENT_EVERY = 200;
const RSS_EVERY_MS = 10_000;
const SWEEP_CHECK_EVERY_MS = 5_000;

export const READER_TASKS: ReaderTask[] = [
  { name: 'device list (3 pages by cursor)', path: '/api/v1/devices?limit=50', pages: 3 },
  { name: 'outdated-firmware report (2 pages)', path: '/api/v1/reports/outdated-firmware', pages: 2 },
  { name: 'summary', path: '/api/v1/reports/summary', pages: 1 },
];

export interface SustainedLoadResult {
  devices: number;
  publishingDevices: number;
  silentDevices: number;
  minutes: number;
  targetPerSec: number;
  publishedPerSec: number;
  published: number;
  skipped: number;
  acked: number;
  received: number;
  lost: number;
  /** False when the service had not received everything 120 s after the publishers stopped: then `lost` includes what the broker still held. */
  drained: boolean;
  raw: { devices: number; msgsPerSec: number; cpu: CpuReport };
  /** publish -> committed of the sampled heartbeats, the first minute (every device comes online) and after it. */
  latencyFirstMinute: Summary;
  latencySteady: Summary;
  readers: ReaderFigures[];
  rssMb: Array<{ s: number; mb: number }>;
  sweep: {
    offlineAfterS: number;
    intervalS: number;
    /** Most silent devices seen online after threshold + interval, over the checks during the run. */
    lateOnlineMax: number;
    /** The longest a silent device was still seen online after its last heartbeat. */
    longestOnlineSilenceS: number;
    /** Seconds the sweep was still watched after the load, publishers stopped, until the last silent device was due (0 on runs long enough). */
    observedAfterLoadS: number;
    silentOfflineAtEnd: number;
    /** At the end, over the whole table: online devices silent past threshold + interval, and offline ones heard within the threshold. */
    staleOnlineAtEnd: number;
    wrongOfflineAtEnd: number;
  };
  cpu: CpuReport;
  loadAverage: string;
}

/**
 * The seeded "online" devices were last seen up to 20 h ago: the sweeper marks them offline in
 * one pass (hundreds of thousands of rows at a million). Waited for before anything is timed.
 */
export async function waitForFirstSweep(pg: Client, log: (m: string) => void): Promise<void> {
  const settled = Date.now();
  await waitFor(
    'the first offline sweep',
    async () => {
      const { rows } = await pg.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM device_presence WHERE connectivity = 'online' AND last_seen_at < now() - make_interval(secs => $1)`,
        [LOAD_OFFLINE_AFTER_S + SWEEP_INTERVAL_S],
      );
      return rows[0].n === 0 ? true : undefined;
    },
    300_000,
    1_000,
  );
  log(`presence swept to the ${LOAD_OFFLINE_AFTER_S} s threshold after ${((Date.now() - settled) / 1000).toFixed(1)} s of waiting`);
}

/**
 * A run shorter than the threshold ends before the sweep owes the silent devices anything (they
 * fell silent after the first minute; with --million-minutes 1 the load stops 60 s later): an
 * end-of-run count would call MISSED what was not due yet. So the sweep keeps being watched, the
 * publishers stopped and the readers gone, until the last silent device is due plus one sweep
 * interval and one check: then every silent device is judged, as on a long run. Returns the
 * seconds waited (0 when the run was long enough).
 */
async function watchUntilSilentDevicesDue(pg: Client, silentIds: string[], log: (m: string) => void): Promise<number> {
  const { rows } = await pg.query<{ wait_s: number | null }>(
    `SELECT extract(epoch FROM max(last_seen_at) + make_interval(secs => $2) - now())::float8 AS wait_s FROM device_presence WHERE device_id = ANY($1::uuid[])`,
    [silentIds, LOAD_OFFLINE_AFTER_S + SWEEP_INTERVAL_S],
  );
  const dueInS = rows[0].wait_s ?? 0;
  if (dueInS <= 0) return 0;
  const waitS = dueInS + SWEEP_CHECK_EVERY_MS / 1000;
  log(
    `  the load ended before every silent device was due offline: watching the sweep ${waitS.toFixed(0)} s more, publishers stopped (the last silent device was heard ${(LOAD_OFFLINE_AFTER_S + SWEEP_INTERVAL_S - dueInS).toFixed(0)} s ago)`,
  );
  await sleep(waitS * 1000);
  return waitS;
}

const loadAverage = async (): Promise<string> => (await import('node:fs')).readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/**
 * Issue 19's sustained load: every device of the inventory that is not decommissioned sends one
 * heartbeat a minute (the rate is devices / 60, each device's turn about once a minute), for one
 * first minute in which every device comes online, then `minutes` more; meanwhile 20 readers page
 * the device list, the report and the summary. Before it, the raw MQTT path's own rate on this
 * machine (a bare subscriber, the same publishers, unpaced).
 */
export async function sustainedLoad(ctx: BenchContext, service: ServiceProcess, broker: Broker, pg: Client, clients: number): Promise<SustainedLoadResult> {
  const { options: o, cleanup, log } = ctx;
  const { rows: fleet } = await pg.query<{ id: string; serial_number: string; firmware_version: string }>(
    `SELECT id, serial_number, firmware_version FROM devices WHERE status <> 'decommissioned' ORDER BY created_at, id`,
  );
  const devices = Number((await pg.query(`SELECT count(*) AS n FROM devices`)).rows[0].n);
  const targetPerSec = devices / 60;
  const durationMs = (1 + o.millionMinutes) * 60_000;

  // The raw baseline: the same publishers, unpaced, to a bare subscriber (at most 100,000 messages).
  const rawCount = Math.min(fleet.length, 100_000);
  const raw = await startRawSubscriber(cleanup, broker.url, 'bench/raw/devices/+/heartbeat', rawCount, 120_000);
  const rawCpu = new CpuMeter({ broker: broker.pid, raw_subscriber: raw.pid, service: service.pid });
  const rawPublishers = await Publishers.connect(
    cleanup,
    {
      url: broker.url,
      label: 'million-raw',
      publishers: o.publishers,
      window: o.window,
      topicPrefix: 'bench/raw/devices',
      ids: fleet.slice(0, rawCount).map((d) => d.id),
      serials: fleet.slice(0, rawCount).map((d) => d.serial_number),
    },
    120_000,
  );
  await rawPublishers.run({ kind: 'rounds', firstRound: 0, rounds: 1, baseSentAtMs: Date.now(), firmwarePrefix: '1.0.' });
  const rawDone = await raw.done;
  const rawRate = rawDone.received / ((rawDone.lastMs - rawDone.firstMs) / 1000);
  const rawReport = { devices: rawCount, msgsPerSec: rawRate, cpu: rawCpu.stop({ raw_subscriber: rawDone.cpuSeconds }) };
  log(
    `raw MQTT path: ${rawDone.received} messages at ${Math.round(rawRate)} msg/s (the load needs ${Math.round(targetPerSec)}/s); ${formatCpu(rawReport.cpu)}`,
  );

  await waitForFirstSweep(pg, log);
  await pg.query('VACUUM (ANALYZE) device_presence');

  // Publisher w owns positions w, w + N, ...; its k-th device is silent when k % SILENT_EVERY == 0.
  const silentIds = fleet.filter((_, i) => Math.floor(i / o.publishers) % SILENT_EVERY === 0).map((d) => d.id);
  const publishers = await Publishers.connect(
    cleanup,
    {
      url: broker.url,
      label: 'million-load',
      publishers: o.publishers,
      window: o.window,
      topicPrefix: 'iomt/v1/devices',
      ids: fleet.map((d) => d.id),
      serials: fleet.map((d) => d.serial_number),
      firmware: fleet.map((d) => d.firmware_version),
    },
    durationMs + 120_000,
  );
  const before = await service.metrics();
  const cpu = new CpuMeter({ broker: broker.pid, service: service.pid });
  const started = Date.now();
  log(
    `sustained load: ${fleet.length} publishing devices (${devices} registered) at ${Math.round(targetPerSec)}/s for 1 + ${o.millionMinutes} min; ${silentIds.length} fall silent after the first minute; load average ${await loadAverage()}`,
  );

  let stopped = false;
  let sweepWatched = false;
  const rssMb: Array<{ s: number; mb: number }> = [];
  const rssLoop = (async () => {
    while (!stopped) {
      const mb = procStatusKb(service.pid, 'VmRSS') / 1024;
      const s = Math.round((Date.now() - started) / 1000);
      rssMb.push({ s, mb: round(mb, 1) });
      const m = await service.metrics().catch(() => undefined);
      log(
        `  t=${s}s RSS ${mb.toFixed(0)} MB, received ${m ? metric(m, 'iomt_heartbeats_received_total') - metric(before, 'iomt_heartbeats_received_total') : '?'}, pending ${m ? metric(m, 'iomt_ingest_pending_messages') : '?'}, load ${await loadAverage()}`,
      );
      await sleep(RSS_EVERY_MS);
    }
  })();
  let lateOnlineMax = 0;
  let longestOnlineSilenceS = 0;
  const sweepLoop = (async () => {
    while (!sweepWatched) {
      const { rows } = await pg.query<{ late: number; longest: number | null }>(
        `SELECT count(*) FILTER (WHERE last_seen_at < now() - make_interval(secs => $2))::int AS late,
                extract(epoch FROM now() - min(last_seen_at))::float8 AS longest
           FROM device_presence WHERE device_id = ANY($1::uuid[]) AND connectivity = 'online'`,
        [silentIds, LOAD_OFFLINE_AFTER_S + SWEEP_INTERVAL_S],
      );
      lateOnlineMax = Math.max(lateOnlineMax, rows[0].late);
      longestOnlineSilenceS = Math.max(longestOnlineSilenceS, rows[0].longest ?? 0);
      await sleep(SWEEP_CHECK_EVERY_MS);
    }
  })();
  let readers: ConcurrentReaders | null = null;
  const readersStart = setTimeout(() => (readers = new ConcurrentReaders(service, READER_TASKS, clients)), 60_000);

  const result = await publishers.run({
    kind: 'paced',
    ratePerSec: targetPerSec / o.publishers,
    durationMs,
    firmwareMajor: '9',
    firmwareChangeEvery: SAMPLE_EVERY,
    baseFirmware: '1.0.0',
    silence: { every: SILENT_EVERY, afterMs: 60_000 },
  });
  clearTimeout(readersStart);
  const readerFigures = readers ? await (readers as ConcurrentReaders).stop() : [];
  const publishedPerSec = result.published / (durationMs / 1000);
  const expect = metric(before, 'iomt_heartbeats_received_total') + result.acked;
  const drained = await waitFor(
    'the load committed',
    async () => {
      const m = await service.metrics();
      return metric(m, 'iomt_heartbeats_received_total') >= expect && metric(m, 'iomt_ingest_pending_messages') === 0 ? true : undefined;
    },
    120_000,
    200,
  ).catch((e: Error) => {
    log(`  ${e.message}: what is not received yet is counted as lost, although the broker may still hold it`);
    return false;
  });
  stopped = true;
  await rssLoop;
  const cpuReport = cpu.stop();
  const after = await service.metrics();
  const observedAfterLoadS = await watchUntilSilentDevicesDue(pg, silentIds, log);
  sweepWatched = true;
  await sweepLoop;
  const received = metric(after, 'iomt_heartbeats_received_total') - metric(before, 'iomt_heartbeats_received_total');

  const { rows: lat } = await pg.query<{ sent: string; ms: number }>(
    `SELECT split_part(to_version, '.', 2) AS sent, extract(epoch FROM changed_at) * 1000 - split_part(to_version, '.', 2)::bigint AS ms
       FROM firmware_history WHERE source = 'heartbeat' AND to_version LIKE '9.%'`,
  );
  const firstMinuteEnd = started + 60_000;
  const latencyFirstMinute = summarize(lat.filter((r) => Number(r.sent) < firstMinuteEnd).map((r) => Number(r.ms)));
  const latencySteady = summarize(lat.filter((r) => Number(r.sent) >= firstMinuteEnd).map((r) => Number(r.ms)));
  const { rows: end } = await pg.query<{ silent_offline: number; stale_online: number; wrong_offline: number }>(
    `SELECT count(*) FILTER (WHERE device_id = ANY($1::uuid[]) AND connectivity = 'offline')::int AS silent_offline,
            count(*) FILTER (WHERE connectivity = 'online' AND last_seen_at < now() - make_interval(secs => $2::int + $3::int))::int AS stale_online,
            count(*) FILTER (WHERE connectivity <> 'online' AND last_seen_at > now() - make_interval(secs => $2))::int AS wrong_offline
       FROM device_presence`,
    [silentIds, LOAD_OFFLINE_AFTER_S, SWEEP_INTERVAL_S],
  );
  const out: SustainedLoadResult = {
    devices,
    publishingDevices: fleet.length,
    silentDevices: silentIds.length,
    minutes: o.millionMinutes,
    targetPerSec,
    publishedPerSec,
    published: result.published,
    skipped: result.skipped,
    acked: result.acked,
    received,
    lost: result.acked - received,
    drained,
    raw: rawReport,
    latencyFirstMinute,
    latencySteady,
    readers: readerFigures,
    rssMb,
    sweep: {
      offlineAfterS: LOAD_OFFLINE_AFTER_S,
      intervalS: SWEEP_INTERVAL_S,
      lateOnlineMax,
      longestOnlineSilenceS,
      observedAfterLoadS,
      silentOfflineAtEnd: end[0].silent_offline,
      staleOnlineAtEnd: end[0].stale_online,
      wrongOfflineAtEnd: end[0].wrong_offline,
    },
    cpu: cpuReport,
    loadAverage: await loadAverage(),
  };
  log(
    `load: published ${out.published} (${Math.round(publishedPerSec)}/s of ${Math.round(targetPerSec)}/s, ${out.skipped} skipped), acked ${out.acked}, received ${received}, lost ${out.lost}`,
  );
  log(
    `  publish -> committed (${lat.length} samples): first minute p50 ${latencyFirstMinute.p50.toFixed(0)} ms p99 ${latencyFirstMinute.p99.toFixed(0)} ms; after it p50 ${latencySteady.p50.toFixed(0)} ms p99 ${latencySteady.p99.toFixed(0)} ms max ${latencySteady.max.toFixed(0)} ms`,
  );
  for (const r of readerFigures)
    log(
      `  under load, ${r.name} x${clients} clients: n=${r.ms.n}, p50 ${r.ms.p50.toFixed(1)} ms, p95 ${r.ms.p95.toFixed(1)} ms, p99 ${r.ms.p99.toFixed(1)} ms, ${r.errors} errors`,
    );
  log(`  RSS MB every ${RSS_EVERY_MS / 1000} s: ${rssMb.map((x) => x.mb.toFixed(0)).join(' ')}`);
  log(
    `  offline sweep (threshold ${LOAD_OFFLINE_AFTER_S} s, every ${SWEEP_INTERVAL_S} s): ${out.sweep.silentOfflineAtEnd}/${silentIds.length} silent devices offline at the end${observedAfterLoadS ? ` (watched ${observedAfterLoadS.toFixed(0)} s after the load)` : ''}; longest a silent device stayed online ${longestOnlineSilenceS.toFixed(0)} s; late ${lateOnlineMax}; whole table at the end: ${out.sweep.staleOnlineAtEnd} stale online, ${out.sweep.wrongOfflineAtEnd} wrongly offline`,
  );
  log(`  ${formatCpu(cpuReport)}`);
  return out;
}
