import { Client } from 'pg';
import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { Publishers } from './lib/publish';
import { createDatabase, seedFleet } from './lib/seed';
import { metric, ServiceProcess } from './lib/service';
import { waitFor } from './lib/timing';

export interface ScaleOutResult {
  devices: number;
  published: number;
  brokerAcked: number;
  receivedPerInstance: Record<string, number>;
  receivedTotal: number;
  seconds: number;
  committedPerSec: number;
  devicesAtNewest: number;
  firmwareRollbacks: number;
  stale: { published: number; receivedTotal: number; devicesStillAtNewest: number; newHistoryRows: number };
  verdicts: Verdict[];
}

/**
 * Two replicas on one shared subscription ($share/bench/...) against one Mosquitto and one
 * database: every message is received by exactly one of them, both get a share, and every
 * device ends at its newest heartbeat although its heartbeats were split between replicas
 * that commit concurrently. Then every device gets one stale heartbeat: nothing rolls back.
 */
export async function benchScaleOut(ctx: BenchContext): Promise<ScaleOutResult> {
  const { options: o, cleanup, log } = ctx;
  const rounds = Math.max(1, Math.round(o.scaleMessages / o.scaleDevices));
  const total = rounds * o.scaleDevices;
  const baseSentAtMs = Date.now() - 3_600_000;
  const finalVersion = `1.0.${rounds - 1}`;
  const broker = await startBroker(cleanup, 'scaleout');
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_scaleout`);
  // One after the other: the first applies the migrations (under the service's advisory lock).
  const a = await ServiceProcess.start(cleanup, {
    name: 'replica-a',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-replica-a',
    sharedGroup: 'bench',
  });
  const b = await ServiceProcess.start(cleanup, {
    name: 'replica-b',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-replica-b',
    sharedGroup: 'bench',
  });
  const replicas = [a, b];
  const fleet = await seedFleet(db.url, o.scaleDevices);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const forgetPg = cleanup.add('scale-out poll connection', () => pg.end());
  log(`two replicas up (pids ${a.pid}, ${b.pid}), group "bench"; seeded ${fleet.ids.length} devices`);

  const counters = async (): Promise<{ received: number[]; committed: number[]; pending: number[] }> => {
    const ms = await Promise.all(replicas.map((r) => r.metrics()));
    return {
      received: ms.map((m) => metric(m, 'iomt_heartbeats_received_total')),
      committed: ms.map((m) => metric(m, 'iomt_heartbeats_committed_total')),
      pending: ms.map((m) => metric(m, 'iomt_ingest_pending_messages')),
    };
  };
  const sum = (xs: number[]): number => xs.reduce((x, y) => x + y, 0);
  const timeoutMs = Math.max(120_000, total / 2);

  // Device i leaves from publisher i % N, rounds outermost: the broker hands consecutive
  // messages to the replicas in turn, so each device's heartbeats are split between both.
  const publishers = await Publishers.connect(
    cleanup,
    { url: broker.url, label: 'scaleout', publishers: o.publishers, window: o.window, topicPrefix: 'iomt/v1/devices', ids: fleet.ids, serials: fleet.serials },
    timeoutMs,
  );
  const running = publishers.run({ kind: 'rounds', firstRound: 0, rounds, baseSentAtMs, firmwarePrefix: '1.0.' });
  running.catch(() => undefined); // awaited below; this only keeps an early failure from being 'unhandled'
  const started = Date.now();
  const doneAt = await waitFor(
    'both replicas to commit everything',
    async () => {
      for (const r of replicas) if (!r.alive) throw new Error(`${r.name} died:\n${r.logTail()}`);
      const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE firmware_version = $1`, [finalVersion]);
      if (rows[0].n < o.scaleDevices) return undefined;
      const c = await counters();
      return sum(c.received) >= total && sum(c.pending) === 0 ? Date.now() : undefined;
    },
    timeoutMs,
    50,
  );
  const pub = await running;
  const seconds = (doneAt - (pub.firstPublishMs || started)) / 1000;
  const c1 = await counters();
  const { rows: state } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM devices d JOIN device_presence p ON p.device_id = d.id WHERE d.firmware_version = $1 AND p.last_heartbeat_sent_at = $2`,
    [finalVersion, new Date(baseSentAtMs + (rounds - 1) * 1000)],
  );
  // A rollback would be a history row going from a later round's version to an earlier one.
  const { rows: back } = await pg.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM firmware_history
      WHERE source = 'heartbeat' AND split_part(to_version, '.', 3)::int < split_part(from_version, '.', 3)::int`,
  );
  log(
    `split ${c1.received.join(' / ')} of ${total}; ${state[0].n}/${o.scaleDevices} devices at the newest heartbeat; ${back[0].n} rollbacks; ${Math.round(total / seconds)}/s`,
  );

  // Stale replay: one heartbeat per device from round 0 (older sentAt, older firmware).
  const { rows: h0 } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM firmware_history`);
  const stalePublishers = await Publishers.connect(
    cleanup,
    { url: broker.url, label: 'stale', publishers: o.publishers, window: o.window, topicPrefix: 'iomt/v1/devices', ids: fleet.ids, serials: fleet.serials },
    60_000,
  );
  const stale = await stalePublishers.run({ kind: 'rounds', firstRound: 0, rounds: 1, baseSentAtMs, firmwarePrefix: '1.0.' });
  // Each stale heartbeat is its device's only one in flight, so each adds exactly one committed update.
  const c2 = await waitFor(
    'stale heartbeats committed',
    async () => {
      const c = await counters();
      return sum(c.committed) - sum(c1.committed) >= o.scaleDevices && sum(c.pending) === 0 ? c : undefined;
    },
    60_000,
    50,
  );
  const { rows: still } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM devices WHERE firmware_version = $1`, [finalVersion]);
  const { rows: h1 } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM firmware_history`);

  const result: ScaleOutResult = {
    devices: o.scaleDevices,
    published: pub.published,
    brokerAcked: pub.acked,
    receivedPerInstance: Object.fromEntries(replicas.map((r, i) => [r.name, c1.received[i]])),
    receivedTotal: sum(c1.received),
    seconds,
    committedPerSec: total / seconds,
    devicesAtNewest: state[0].n,
    firmwareRollbacks: back[0].n,
    stale: { published: stale.acked, receivedTotal: sum(c2.received) - sum(c1.received), devicesStillAtNewest: still[0].n, newHistoryRows: h1[0].n - h0[0].n },
    verdicts: [],
  };
  log(
    `stale replay: ${result.stale.published} published, ${result.stale.receivedTotal} received, ${result.stale.devicesStillAtNewest}/${o.scaleDevices} still at ${finalVersion}, ${result.stale.newHistoryRows} new history rows`,
  );
  result.verdicts = [
    verdict(
      'scale-out: every message received once',
      `${result.receivedTotal} received of ${pub.acked} published (${c1.received.join(' + ')})`,
      'sum == published',
      result.receivedTotal === pub.acked && pub.errors === 0,
    ),
    verdict(
      'scale-out: both replicas got a share',
      c1.received.map((x) => `${((100 * x) / Math.max(1, result.receivedTotal)).toFixed(1)}%`).join(' / '),
      'each > 0',
      c1.received.every((x) => x > 0),
    ),
    verdict(
      'scale-out: final state is the newest heartbeat',
      `${result.devicesAtNewest}/${o.scaleDevices} devices`,
      'all',
      result.devicesAtNewest === o.scaleDevices,
    ),
    verdict(
      'scale-out: no firmware rollback',
      `${result.firmwareRollbacks} backward history rows; stale replay left ${result.stale.devicesStillAtNewest}/${o.scaleDevices} unchanged, ${result.stale.newHistoryRows} new rows`,
      '0, all, 0',
      result.firmwareRollbacks === 0 && result.stale.devicesStillAtNewest === o.scaleDevices && result.stale.newHistoryRows === 0,
    ),
  ];
  await Promise.all(replicas.map((r) => r.dispose()));
  forgetPg();
  await pg.end();
  await broker.stop();
  await db.drop();
  return result;
}
