import { loadavg } from 'node:os';
import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { CpuMeter, CpuReport, formatCpu } from './lib/cpu';
import { Publishers } from './lib/publish';
import { createDatabase, seedFleet, vacuumIfAutovacuumOff, withClient } from './lib/seed';
import { metric, ServiceProcess } from './lib/service';
import { openSseClients, SseClients } from './lib/sse-clients';
import { waitFor } from './lib/timing';

/** Issue 16: the event stream holds this many open consoles... */
export const SSE_CLIENTS = 200;
/** ...with the heartbeat throughput down by at most this share. */
const DROP_TARGET = 0.05;

export interface SsePhase {
  label: 'no stream' | 'open streams';
  streams: number;
  heartbeats: number;
  seconds: number;
  committedPerSec: number;
  /** Where the CPU went (the service's own seconds are the cost that load elsewhere does not blur). */
  cpu: CpuReport;
  /** Open streams only: the fewest and most events one client read during the phase (pings excluded). */
  eventsPerClient: { min: number; max: number } | null;
}

export interface SseResult {
  devices: number;
  heartbeatsPerPhase: number;
  phases: SsePhase[];
  /** Each open phase's committed rate over the mean of the two phases without around it. */
  ratios: number[];
  /** 1 - the median of `ratios`. */
  drop: number;
  /** Service CPU seconds per heartbeat with streams open over without (1.00: no cost). */
  cpuRatio: number;
  loadAverage: string;
  verdicts: Verdict[];
}

/**
 * The headline heartbeat mix (the fleet's firmware holds still, then every device reports a new
 * version in the last round, which emits `devices` and `findings` events) committed by one
 * service in one run, alternating: no console open, then SSE_CLIENTS open event streams (Node
 * clients reading every byte, as browsers would) and none again, `pairs` times. Each open phase is
 * compared with the mean of the phases before and after it, so drift over the run does not count
 * as a cost.
 */
export async function benchSse(ctx: BenchContext): Promise<SseResult> {
  const { options: o, cleanup, log } = ctx;
  const broker = await startBroker(cleanup, 'sse');
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_sse`);
  const service = await ServiceProcess.start(cleanup, {
    name: 'sse',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-sse',
    // Nothing goes offline mid-run: every phase measures the same path.
    offlineAfterS: 86_400,
  });
  const fleet = await seedFleet(db.url, o.devices);
  const { key } = await service.postJson<{ key: string }>('/api/v1/api-keys', { name: 'bench consoles', role: 'it' });
  const rounds = Math.max(2, Math.round(o.messages / o.devices));
  const perPhase = rounds * o.devices;
  log(`${fleet.ids.length} devices; ${perPhase} heartbeats per phase (${rounds} rounds, the last one a firmware change for every device)`);

  let round = 0;
  let firmware = '1.0.0';
  const publish = async (label: string, phaseRounds: number): Promise<{ seconds: number; heartbeats: number; cpu: CpuReport }> => {
    // Each phase starts on vacuumed tables, as a server with autovacuum would give it.
    await withClient(db.url, (c) => vacuumIfAutovacuumOff(c));
    const publishers = await Publishers.connect(
      cleanup,
      {
        url: broker.url,
        label: `sse-${round}`,
        publishers: o.publishers,
        window: o.window,
        topicPrefix: 'iomt/v1/devices',
        ids: fleet.ids,
        serials: fleet.serials,
      },
      600_000,
    );
    const before = await service.metrics();
    const firstRound = round + 1;
    const last = firstRound + phaseRounds - 1;
    const finalVersion = `1.0.${last}`;
    const t0 = Date.now();
    const meter = new CpuMeter({ service: service.pid, broker: broker.pid });
    const pub = await publishers.run({
      kind: 'rounds',
      firstRound,
      rounds: phaseRounds,
      baseSentAtMs: Date.now() - 3_600_000,
      firmwarePrefix: '1.0.',
      firmwareFromRound: last,
      stableFirmware: firmware,
    });
    const expected = metric(before, 'iomt_heartbeats_received_total') + pub.acked;
    await waitFor(
      `${label}: every heartbeat committed`,
      async () => {
        if (!service.alive) throw new Error(`service died:\n${service.logTail()}`);
        const m = await service.metrics();
        if (metric(m, 'iomt_heartbeats_received_total') < expected || metric(m, 'iomt_ingest_pending_messages') !== 0) return undefined;
        const n = await withClient(
          db.url,
          async (c) => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE firmware_version = $1`, [finalVersion])).rows[0].n,
        );
        return n === fleet.ids.length ? true : undefined;
      },
      600_000,
      50,
    );
    const seconds = (Date.now() - t0) / 1000;
    const cpu = meter.stop();
    round = last;
    firmware = finalVersion;
    return { seconds, heartbeats: pub.acked, cpu };
  };

  // Every device comes online (one `connectivity` event per batch) and the JIT warms: not measured.
  await publish('warm-up', 1);
  const phases: SsePhase[] = [];
  // none, then (open, none) `pairs` times: each open phase is compared with the mean of the two
  // phases around it, and the median of those ratios is reported (this machine drifts).
  const plan = [0, ...Array.from({ length: o.pairs }, () => [SSE_CLIENTS, 0]).flat()];
  for (const streams of plan) {
    const label: SsePhase['label'] = streams ? 'open streams' : 'no stream';
    let clients: SseClients | null = null;
    if (streams) {
      clients = await openSseClients(cleanup, service.base, key, streams);
      log(`${streams} event streams open`);
    }
    const { seconds, heartbeats, cpu } = await publish(label, rounds);
    // The events of the phase's last commits reach the clients just after: give them a moment.
    const events = clients ? await settle(clients) : null;
    await clients?.close();
    const phase: SsePhase = { label, streams, heartbeats, seconds, committedPerSec: heartbeats / seconds, cpu, eventsPerClient: events };
    phases.push(phase);
    log(
      `${label}${streams ? ` (${streams})` : ''}: ${heartbeats} heartbeats committed in ${seconds.toFixed(2)} s (${phase.committedPerSec.toFixed(0)}/s)` +
        (events ? `; events read per client: ${events.min} to ${events.max}` : ''),
    );
    log(`  ${formatCpu(cpu)}`);
  }
  const loadAverage = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

  await service.dispose();
  await broker.stop();
  await db.drop();

  const ratios = phases
    .map((p, i) => (p.streams ? p.committedPerSec / ((phases[i - 1].committedPerSec + phases[i + 1].committedPerSec) / 2) : null))
    .filter((r): r is number => r !== null);
  const ratio = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
  const drop = 1 - ratio;
  const open = phases.filter((p) => p.eventsPerClient);
  // The service's CPU seconds per heartbeat, open phases over phases without: the cost itself.
  const perHeartbeat = (ps: SsePhase[]) => ps.reduce((a, p) => a + p.cpu.processes.service, 0) / ps.reduce((a, p) => a + p.heartbeats, 0);
  const cpuRatio = perHeartbeat(open) / perHeartbeat(phases.filter((p) => !p.streams));
  const events = { min: Math.min(...open.map((p) => p.eventsPerClient!.min)), max: Math.max(...open.map((p) => p.eventsPerClient!.max)) };
  return {
    devices: fleet.ids.length,
    heartbeatsPerPhase: perPhase,
    phases,
    ratios,
    drop,
    cpuRatio,
    loadAverage,
    verdicts: [
      verdict(
        `sse: heartbeat throughput with ${SSE_CLIENTS} open event streams vs none`,
        `${(drop * 100).toFixed(1)} % drop (ratio ${ratio.toFixed(3)}${ratios.length > 1 ? `, median of ${ratios.map((r) => r.toFixed(3)).join(', ')}` : ''}; load average ${loadAverage})`,
        `<= ${DROP_TARGET * 100} %`,
        drop <= DROP_TARGET,
      ),
      verdict(`sse: service CPU per heartbeat with ${SSE_CLIENTS} open event streams vs none`, `ratio ${cpuRatio.toFixed(3)}`, '<= 1.05', cpuRatio <= 1.05),
      verdict(`sse: every open stream received the phase's events`, `${events.min} to ${events.max} events per client`, '>= 1 each', events.min >= 1),
    ],
  };
}

/** Waits until the clients' event counts stop rising (at most 5 s); the fewest and most per client. */
async function settle(clients: SseClients): Promise<{ min: number; max: number }> {
  let last = '';
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = clients.eventsPerClient().join(',');
    if (now === last && i >= 5) break;
    last = now;
  }
  const counts = clients.eventsPerClient();
  return { min: Math.min(...counts), max: Math.max(...counts) };
}
