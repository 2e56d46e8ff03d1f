import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchContext, verdict, Verdict } from './context';
import { CpuMeter, CpuReport, formatCpu } from './lib/cpu';
import { Publishers } from './lib/publish';
import { startRawSubscriber } from './lib/raw-baseline';
import { metric, procStatusKb, ServiceProcess } from './lib/service';
import { freePort, waitFor } from './lib/timing';

/** PGlite on its own thread (the default) or on the main thread with Nest and Aedes (EMBEDDED_DB_WORKER=false). */
export type EmbeddedMode = 'worker' | 'main-thread';
export const EMBEDDED_MODES: readonly EmbeddedMode[] = ['worker', 'main-thread'];

export const RATIO_TARGET = 0.3;
export const RSS_TARGET_MB = 300;

export interface EmbeddedPair {
  rawPerSec: number;
  appliedPerSec: number;
  ratio: number;
}

export interface EmbeddedModeResult {
  mode: EmbeddedMode;
  /** Boot of the service on an empty DATA_DIR (initdb, migrations) until /health answers. */
  bootSeconds: number;
  bootRssMb: number;
  bootPeakRssMb: number;
  seedSeconds: number;
  /** Every raw-then-service pair; the one with the median ratio is `median`. */
  pairs: EmbeddedPair[];
  median: EmbeddedPair;
  rssAfterLoadMb: number;
  peakRssMb: number;
  cpu: CpuReport;
}

export interface EmbeddedResult {
  devices: number;
  messages: number;
  /** The checkout whose build ran (another one than this only for a before/after comparison). */
  serviceRoot: string;
  modes: EmbeddedModeResult[];
  verdicts: Verdict[];
}

const rssMb = (pid: number): number => procStatusKb(pid, 'VmRSS') / 1024;

/** Devices through the API as a person would register them (the embedded database has no other door). */
async function seedDevices(service: ServiceProcess, count: number): Promise<{ ids: string[]; serials: string[] }> {
  const manufacturer = await service.postJson<{ id: string }>('/api/v1/manufacturers', { name: 'Bench Medical' });
  const model = await service.postJson<{ id: string }>('/api/v1/models', {
    manufacturerId: manufacturer.id,
    modelNumber: 'BENCH-PUMP',
    name: 'Bench infusion pump',
    category: 'facility',
  });
  const serials = Array.from({ length: count }, (_, i) => `SN-${i + 1}`);
  const ids: string[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const device = await service.postJson<{ id: string }>('/api/v1/devices', { modelId: model.id, serialNumber: serials[i], firmwareVersion: '1.0.0' });
      ids[i] = device.id;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { ids, serials };
}

/**
 * One embedded service (no DATABASE_URL, no MQTT_URL, an empty DATA_DIR): boot RSS, then
 * `pairs` times the raw rate of a bare MQTT.js subscriber through the service's own Aedes and
 * the service's applied rate of steady heartbeats (firmware unchanged), back to back.
 */
async function benchMode(ctx: BenchContext, mode: EmbeddedMode, serviceRoot: string | undefined): Promise<EmbeddedModeResult> {
  const { options: o, cleanup, log } = ctx;
  const devices = o.embeddedDevices;
  const rounds = Math.max(1, Math.round(o.embeddedMessages / devices));
  const total = rounds * devices;
  const dataDir = mkdtempSync(join(tmpdir(), 'iomt-bench-embedded-'));
  const forgetDir = cleanup.add(`embedded data ${dataDir}`, async () => rmSync(dataDir, { recursive: true, force: true }));
  const mqttPort = await freePort();
  const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
  const bootStarted = Date.now();
  const service = await ServiceProcess.start(cleanup, {
    name: `embedded-${mode}`,
    databaseUrl: '',
    mqttUrl: '',
    adminKey: ctx.adminKey,
    clientId: `iomt-bench-embedded-${mode}`,
    writesPerMin: 1_000_000,
    root: serviceRoot,
    bootTimeoutMs: 300_000,
    env: { DATA_DIR: dataDir, MQTT_PORT: String(mqttPort), MQTT_ALLOW_ANONYMOUS: 'true', EMBEDDED_DB_WORKER: String(mode === 'worker') },
  });
  const bootSeconds = (Date.now() - bootStarted) / 1000;
  const bootRssMb = rssMb(service.pid);
  const bootPeakRssMb = service.peakRssMb();
  log(`${mode}: service up in ${bootSeconds.toFixed(1)} s on an empty DATA_DIR; RSS ${bootRssMb.toFixed(0)} MB (peak ${bootPeakRssMb.toFixed(0)} MB)`);

  const seedStarted = Date.now();
  const fleet = await seedDevices(service, devices);
  const seedSeconds = (Date.now() - seedStarted) / 1000;
  log(`${mode}: ${devices} devices registered through the API in ${seedSeconds.toFixed(1)} s`);

  const baseSentAtMs = Date.now() - 3_600_000;
  const timeoutMs = Math.max(120_000, total);
  const job = (pair: number) => ({
    kind: 'rounds' as const,
    firstRound: pair * rounds,
    rounds,
    baseSentAtMs,
    firmwarePrefix: '1.0.',
    firmwareFromRound: Infinity,
    stableFirmware: '1.0.0',
  });
  const publishers = (label: string, topicPrefix: string) =>
    Publishers.connect(
      cleanup,
      { url: mqttUrl, label, publishers: o.publishers, window: o.window, topicPrefix, ids: fleet.ids, serials: fleet.serials },
      timeoutMs,
    );

  const pairs: EmbeddedPair[] = [];
  const cpu = new CpuMeter({ service: service.pid });
  for (let pair = 0; pair < o.pairs; pair++) {
    // The bare subscriber on its own topic: the service does not subscribe to it, so this is
    // what the service's Aedes alone delivers to a client that does nothing.
    const raw = await startRawSubscriber(cleanup, mqttUrl, 'bench/raw/devices/+/heartbeat', total, timeoutMs);
    await (await publishers(`embedded-raw${pair}`, 'bench/raw/devices')).run(job(pair));
    const received = await raw.done;
    const rawPerSec = received.received / ((received.lastMs - received.firstMs) / 1000);

    const before = await service.metrics();
    const appliedBefore = metric(before, 'iomt_ingest_batch_messages_sum');
    const run = (await publishers(`embedded${pair}`, 'iomt/v1/devices')).run(job(pair));
    run.catch(() => undefined); // awaited below
    const doneAt = await waitFor(
      'every heartbeat applied',
      async () => {
        if (!service.alive) throw new Error(`service died:\n${service.logTail()}`);
        const m = await service.metrics();
        return metric(m, 'iomt_ingest_batch_messages_sum') - appliedBefore >= total ? Date.now() : undefined;
      },
      timeoutMs,
      50,
    );
    const published = await run;
    const appliedPerSec = total / ((doneAt - published.firstPublishMs) / 1000);
    pairs.push({ rawPerSec, appliedPerSec, ratio: appliedPerSec / rawPerSec });
    log(
      `${mode} pair ${pair + 1}/${o.pairs}: raw ${Math.round(rawPerSec)} msg/s, applied ${Math.round(appliedPerSec)} heartbeats/s = ${(appliedPerSec / rawPerSec).toFixed(3)}x`,
    );
  }
  const cpuReport = cpu.stop();
  log(`  ${formatCpu(cpuReport)}`);
  const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor(pairs.length / 2)];
  const result: EmbeddedModeResult = {
    mode,
    bootSeconds,
    bootRssMb,
    bootPeakRssMb,
    seedSeconds,
    pairs,
    median,
    rssAfterLoadMb: rssMb(service.pid),
    peakRssMb: service.peakRssMb(),
    cpu: cpuReport,
  };
  await service.dispose();
  rmSync(dataDir, { recursive: true, force: true });
  forgetDir();
  return result;
}

/** Issue 19: the embedded default (PGlite + Aedes in the service) against the raw rate through the same broker, and its memory. */
export async function benchEmbedded(ctx: BenchContext): Promise<EmbeddedResult> {
  const o = ctx.options;
  const modes: EmbeddedModeResult[] = [];
  for (const mode of o.embeddedModes) modes.push(await benchMode(ctx, mode, o.embeddedRoot));
  const verdicts = modes.flatMap((m) => [
    verdict(`embedded (${m.mode}): applied / raw`, `${m.median.ratio.toFixed(3)}x`, `>= ${RATIO_TARGET}x`, m.median.ratio >= RATIO_TARGET),
    verdict(
      `embedded (${m.mode}): RSS after boot on an empty DATA_DIR`,
      `${m.bootRssMb.toFixed(0)} MB`,
      `<= ${RSS_TARGET_MB} MB`,
      m.bootRssMb <= RSS_TARGET_MB,
    ),
  ]);
  return {
    devices: o.embeddedDevices,
    messages: Math.max(1, Math.round(o.embeddedMessages / o.embeddedDevices)) * o.embeddedDevices,
    serviceRoot: o.embeddedRoot ?? 'this checkout',
    modes,
    verdicts,
  };
}

export function embeddedSummary(r: EmbeddedResult): string[] {
  const perSec = (x: number): string => `${Math.round(x).toLocaleString('en-US')}/s`;
  return [
    '',
    `EMBEDDED  no DATABASE_URL, no MQTT_URL (PGlite + Aedes in the service), empty DATA_DIR, ${r.devices} devices via the API, ${r.messages} steady QoS 1 heartbeats a phase; build: ${r.serviceRoot}`,
    ...r.modes.flatMap((m) => [
      `  ${m.mode.padEnd(12)} boot ${m.bootSeconds.toFixed(1)} s, RSS ${m.bootRssMb.toFixed(0)} MB (peak ${m.bootPeakRssMb.toFixed(0)} MB; target <= ${RSS_TARGET_MB} MB); after the load RSS ${m.rssAfterLoadMb.toFixed(0)} MB, peak ${m.peakRssMb.toFixed(0)} MB`,
      `  ${''.padEnd(12)} raw ${perSec(m.median.rawPerSec)}, applied ${perSec(m.median.appliedPerSec)} = ${m.median.ratio.toFixed(3)}x (target >= ${RATIO_TARGET}x; median of ${m.pairs.map((p) => p.ratio.toFixed(3)).join(', ')})`,
    ]),
  ];
}
