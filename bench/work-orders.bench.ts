import { BenchContext, verdict, Verdict } from './context';
import { startBroker } from './lib/broker';
import { Publishers } from './lib/publish';
import { createDatabase, seedFleet, withClient } from './lib/seed';
import { ServiceProcess } from './lib/service';
import { waitFor } from './lib/timing';

const DROP_TARGET = 0.05;

export interface WorkOrdersPhase {
  label: 'without orders' | 'with orders';
  heartbeats: number;
  /** First publish to the last fixed firmware committed (the heartbeat path, findings recompute included). */
  committedSeconds: number;
  committedPerSec: number;
  /** First publish to the last of the phase's orders proved done (with orders only). */
  verifiedSeconds: number | null;
  ordersDone: number;
}

export interface WorkOrdersResult {
  devices: number;
  openOrders: number;
  seedSeconds: number;
  phases: WorkOrdersPhase[];
  /** 1 - (with orders / mean of the two phases without), committed heartbeats per second. */
  drop: number;
  verdicts: Verdict[];
}

/**
 * Issue 17's target: with `findingsDevices` devices on one model, every one exposed to a critical
 * advisory, and `workOrdersOpen` active work orders, the heartbeats that bring the fixed firmware
 * commit as fast for devices with an order (each proved done by its heartbeat) as for devices
 * without one. Same service, same run: without, with, without again (the mean of the two
 * without-phases is the reference, so drift over the run does not count as a cost).
 */
export async function benchWorkOrders(ctx: BenchContext, openOrders: number, perPhase: number): Promise<WorkOrdersResult> {
  const { options: o, cleanup, log } = ctx;
  const broker = await startBroker(cleanup, 'work-orders');
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_work_orders`);
  const service = await ServiceProcess.start(cleanup, {
    name: 'work-orders',
    databaseUrl: db.url,
    mqttUrl: broker.url,
    adminKey: ctx.adminKey,
    clientId: 'iomt-bench-work-orders',
    offlineAfterS: 86_400,
    writesPerMin: 1_000_000,
  });
  const started = Date.now();
  const fleet = await seedFleet(db.url, o.findingsDevices);
  const model = await withClient(db.url, async (c) => {
    // No order opens by itself: the bench opens exactly `openOrders`, through the API.
    await c.query(`UPDATE remediation_policy SET auto_work_order_decisions = '{}' WHERE id = 1`);
    return (await c.query<{ id: string; manufacturer_id: string }>(`SELECT id, manufacturer_id FROM device_models WHERE model_number = 'BENCH-PUMP'`)).rows[0];
  });
  await service.postJson('/api/v1/advisories', {
    manufacturerId: model.manufacturer_id,
    title: 'Bench critical advisory',
    cvssScore: 9.8,
    affected: [{ modelId: model.id, versions: '<2.0.0', fixedVersion: '2.0.0' }],
  });
  for (let i = 0; i < openOrders; i += 10_000) {
    await service.postJson('/api/v1/work-orders', { deviceIds: fleet.ids.slice(i, Math.min(openOrders, i + 10_000)) });
  }
  const seedSeconds = (Date.now() - started) / 1000;
  const active = await count(db.url, `SELECT count(*) AS n FROM work_orders WHERE status = 'open'`);
  log(`${fleet.ids.length} devices exposed, ${active} open work orders (seeded in ${seedSeconds.toFixed(1)} s)`);
  await withClient(db.url, (c) => c.query('VACUUM (ANALYZE)'));

  const n = Math.min(perPhase, openOrders, Math.floor((fleet.ids.length - openOrders) / 2.5));
  const warm = Math.floor(n / 2);
  const slices = {
    warmUp: [openOrders, openOrders + warm],
    withOrders: [0, n],
    without1: [openOrders + warm, openOrders + warm + n],
    without2: [openOrders + warm + n, openOrders + warm + 2 * n],
  } as const;
  const phases: WorkOrdersPhase[] = [];
  // The first heartbeats of a fresh service run slower (JIT, caches): a warm-up, not measured.
  for (const [label, [from, to]] of [
    ['warm-up', slices.warmUp],
    ['without orders', slices.without1],
    ['with orders', slices.withOrders],
    ['without orders', slices.without2],
  ] as const) {
    const ids = fleet.ids.slice(from, to);
    const publishers = await Publishers.connect(
      cleanup,
      {
        url: broker.url,
        label: `wo-${phases.length}`,
        publishers: o.publishers,
        window: o.window,
        topicPrefix: 'iomt/v1/devices',
        ids,
        serials: fleet.serials.slice(from, to),
      },
      600_000,
    );
    const t0 = Date.now();
    await publishers.run({ kind: 'rounds', firstRound: 0, rounds: 1, baseSentAtMs: Date.now(), firmwarePrefix: '2.0.' });
    await waitFor(
      `${label}: ${ids.length} fixed firmwares committed`,
      async () =>
        (await count(db.url, `SELECT count(*) AS n FROM devices WHERE id = ANY($1::uuid[]) AND firmware_version = '2.0.0'`, [ids])) === ids.length
          ? true
          : undefined,
      600_000,
      50,
    );
    const committedSeconds = (Date.now() - t0) / 1000;
    let verifiedSeconds: number | null = null;
    let ordersDone = 0;
    if (label === 'with orders') {
      await waitFor(
        `${ids.length} orders proved done`,
        async () =>
          (ordersDone = await count(db.url, `SELECT count(*) AS n FROM work_orders WHERE device_id = ANY($1::uuid[]) AND status = 'done'`, [ids])) ===
          ids.length
            ? true
            : undefined,
        600_000,
        50,
      );
      verifiedSeconds = (Date.now() - t0) / 1000;
    }
    log(
      `${label}: ${ids.length} fixed-firmware heartbeats committed in ${committedSeconds.toFixed(2)} s (${(ids.length / committedSeconds).toFixed(0)}/s)${verifiedSeconds ? `, orders done after ${verifiedSeconds.toFixed(2)} s` : ''}`,
    );
    if (label === 'warm-up') continue;
    phases.push({ label, heartbeats: ids.length, committedSeconds, committedPerSec: ids.length / committedSeconds, verifiedSeconds, ordersDone });
  }

  await service.dispose();
  await broker.stop();
  await db.drop();

  const reference = (phases[0].committedPerSec + phases[2].committedPerSec) / 2;
  const drop = 1 - phases[1].committedPerSec / reference;
  return {
    devices: fleet.ids.length,
    openOrders: active,
    seedSeconds,
    phases,
    drop,
    verdicts: [
      verdict(
        `work orders: fixed-firmware heartbeats with ${active} open orders, verification on vs off`,
        `${(drop * 100).toFixed(1)} % drop (${phases[1].committedPerSec.toFixed(0)}/s vs ${reference.toFixed(0)}/s)`,
        `<= ${DROP_TARGET * 100} %`,
        drop <= DROP_TARGET,
      ),
      verdict(
        'work orders: every order of the with-orders phase proved done',
        `${phases[1].ordersDone}/${phases[1].heartbeats}`,
        'all',
        phases[1].ordersDone === phases[1].heartbeats,
      ),
    ],
  };
}

async function count(url: string, sql: string, params: unknown[] = []): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>(sql, params)).rows[0].n));
}
