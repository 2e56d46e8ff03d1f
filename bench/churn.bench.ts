import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsLocked } from '../src/database/migration-runner';
import { FindingsQueueRepository } from '../src/findings/findings-queue.repository';
import { FindingsEngine } from '../src/findings/findings.engine';
import { FindingsMetrics } from '../src/findings/findings.metrics';
import { FindingsRepository } from '../src/findings/findings.repository';
import { CollapsedHeartbeat } from '../src/ingest/heartbeat-collapse';
import { HEARTBEAT_MAX_BATCH } from '../src/ingest/heartbeat-ingest.service';
import { HeartbeatRepository } from '../src/ingest/heartbeat.repository';
import { DevicesRepository } from '../src/inventory/devices.repository';
import { DeviceEntity } from '../src/inventory/entities/device.entity';
import { loadConfig } from '../src/config/app-config';
import { FindingPrioritiesRepository } from '../src/prioritisation/finding-priorities.repository';
import { FindingPriorities } from '../src/prioritisation/finding-priorities.service';
import { SecurityEventsRepository } from '../src/security-events/security-events.repository';
import { BenchContext } from './context';
import { procCpuSeconds } from './lib/service';
import { createDatabase, Fleet, seedFleet, vacuumIfAutovacuumOff, withClient } from './lib/seed';

/** PostgreSQL's cost of one kind of work, per heartbeat. */
export interface ChurnCost {
  /** CPU of the one PostgreSQL backend doing the work, microseconds a heartbeat. */
  usPerHeartbeat: number;
  /** WAL written, bytes a heartbeat (pg_current_wal_lsn differences). */
  walBytesPerHeartbeat: number;
  /** Heartbeats a second on one connection, nothing else of ours running (wall clock: noisy). */
  perSec: number;
}

export interface ChurnScenario {
  name: string;
  /** The ingest batch (HeartbeatRepository.apply) of heartbeats that each bring a new firmware. */
  apply: ChurnCost;
  /** The findings drain the batch's DEVICES_CHANGED event runs (FindingsEngine.recomputeDevices). */
  drain: ChurnCost;
  total: ChurnCost;
}

export interface ChurnResult {
  devices: number;
  heartbeats: number;
  scenarios: ChurnScenario[];
  /** One UPDATE per heartbeat, autocommit, on a table with only a primary key: the naive peer of the issue. */
  naive: ChurnCost;
}

/**
 * PostgreSQL's own cost of the firmware-change (churn) path, with nothing else running: every
 * heartbeat brings a new firmware, applied by the service's HeartbeatRepository in batches of
 * its largest size, then drained by the service's FindingsEngine as the DEVICES_CHANGED event
 * does. Measured in PostgreSQL CPU and WAL bytes a heartbeat (contention-robust), on a model with
 * no advisory at all and on one whose advisory covers every device, beside a naive peer that
 * runs one UPDATE per heartbeat.
 */
export async function benchChurn(ctx: BenchContext): Promise<ChurnResult> {
  const { options: o, cleanup, log } = ctx;
  Logger.overrideLogger(['error', 'warn']);
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_churn`);
  // One connection: its backend is the only process whose CPU is counted, so other work on a
  // shared server does not land in the figures.
  const dataSource = new DataSource(dataSourceOptions(db.url, 1));
  await dataSource.initialize();
  const forget = cleanup.add('churn data source', () => dataSource.destroy());
  try {
    await runMigrationsLocked(dataSource);
    const devices = Math.min(o.devices, 10_000);
    const fleet = await seedFleet(db.url, devices);
    // Detection on, as the service runs by default.
    const repository = new HeartbeatRepository(
      dataSource,
      new DevicesRepository(dataSource.getRepository(DeviceEntity)),
      new SecurityEventsRepository(dataSource),
      loadConfig({}),
      dataSource,
    );
    const events = new EventEmitter2();
    const engine = new FindingsEngine(
      new FindingsRepository(dataSource),
      new FindingsQueueRepository(dataSource),
      new FindingsMetrics(new Registry()),
      events,
      new FindingPriorities(new FindingPrioritiesRepository(dataSource), events),
    );
    const rounds = Math.max(2, Math.min(10, Math.round(o.messages / devices / 2)));
    const baseSentAtMs = Date.now() - 3_600_000;
    let round = 0;
    const runRounds = async (label: string): Promise<ChurnScenario> => {
      // Round 0 of a scenario brings devices online; not timed.
      const applyTotals = { cpu: 0, wal: 0, ms: 0 };
      const drainTotals = { cpu: 0, wal: 0, ms: 0 };
      let timed = 0;
      for (let r = 0; r <= rounds; r++, round++) {
        if (r === 1) await withClient(db.url, vacuumIfAutovacuumOff);
        for (let from = 0; from < fleet.ids.length; from += HEARTBEAT_MAX_BATCH) {
          const batch = heartbeats(fleet, from, Math.min(from + HEARTBEAT_MAX_BATCH, fleet.ids.length), baseSentAtMs + round * 1000, `1.0.${round + 1}`);
          const a = await measure(dataSource, () => repository.apply(batch, []));
          if (a.value.firmwareChanges.length !== batch.length)
            throw new Error(`churn: ${a.value.firmwareChanges.length} of ${batch.length} were firmware changes`);
          const d = await measure(dataSource, () => engine.recomputeDevices(a.value.firmwareChanges.map((c) => c.deviceId)));
          if (r === 0) continue;
          timed += batch.length;
          add(applyTotals, a);
          add(drainTotals, d);
        }
      }
      const owed = await withClient(db.url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM findings_recompute_queue`)).rows[0].n));
      if (owed) throw new Error(`churn: ${owed} findings recomputes left owed after the drains`);
      const scenario: ChurnScenario = {
        name: label,
        apply: cost(applyTotals, timed),
        drain: cost(drainTotals, timed),
        total: cost({ cpu: applyTotals.cpu + drainTotals.cpu, wal: applyTotals.wal + drainTotals.wal, ms: applyTotals.ms + drainTotals.ms }, timed),
      };
      log(
        `churn (${label}): ${timed} firmware changes; ${describe('apply', scenario.apply)}; ${describe('drain', scenario.drain)}; ${describe('total', scenario.total)}`,
      );
      return scenario;
    };

    const scenarios = [await runRounds('model with no advisory')];
    // An advisory on the fleet's model that every firmware of this bench is inside: each change
    // keeps the device's finding open and refreshes it.
    await withClient(db.url, async (c) => {
      await c.query(
        `WITH a AS (INSERT INTO advisories (manufacturer_id, title, source, status, cvss_score, severity, published_at)
                    SELECT manufacturer_id, 'Bench advisory', 'manual', 'active', 7.5, 'high', now() FROM device_models WHERE model_number = 'BENCH-PUMP' RETURNING id)
         INSERT INTO advisory_affected (advisory_id, model_id, versions, fixed_version)
         SELECT a.id, m.id, '<9.0.0', '9.0.0' FROM a, device_models m WHERE m.model_number = 'BENCH-PUMP'`,
      );
    });
    await engine.drainDue(10_000, true);
    await withClient(db.url, (c) => c.query(`UPDATE findings_recompute_queue SET due_at = now()`));
    while ((await engine.drainDue(10_000, true)) > 0);
    scenarios.push(await runRounds('model with an advisory on every device'));

    const naive = await naivePeer(db.url, fleet, rounds);
    log(`churn (naive peer, one UPDATE per heartbeat): ${describe('total', naive)}`);
    return { devices: fleet.ids.length, heartbeats: rounds * fleet.ids.length, scenarios, naive };
  } finally {
    await dataSource.destroy().catch(() => undefined);
    forget();
    await db.drop();
  }
}

async function walLsn(dataSource: DataSource): Promise<bigint> {
  const [{ lsn }]: Array<{ lsn: string }> = await dataSource.query(`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS lsn`);
  return BigInt(lsn.split('.')[0]);
}

async function backendPid(dataSource: DataSource): Promise<number> {
  const [{ pid }]: Array<{ pid: number }> = await dataSource.query(`SELECT pg_backend_pid() AS pid`);
  return pid;
}

/**
 * CPU of the one backend and WAL of the whole server around `work`. WAL is cluster-wide: on a
 * server others write to, run the case against a private one (BENCH_PG_URL) for exact bytes.
 */
async function measure<T>(dataSource: DataSource, work: () => Promise<T>): Promise<{ value: T; cpu: number; wal: number; ms: number }> {
  const pid = await backendPid(dataSource);
  const wal0 = await walLsn(dataSource);
  const cpu0 = procCpuSeconds(pid);
  const t0 = performance.now();
  const value = await work();
  const ms = performance.now() - t0;
  if ((await backendPid(dataSource)) !== pid) throw new Error('churn: the backend changed during a measurement');
  const cpu = procCpuSeconds(pid) - cpu0;
  const wal = Number((await walLsn(dataSource)) - wal0);
  return { value, cpu, wal, ms };
}

function add(total: { cpu: number; wal: number; ms: number }, m: { cpu: number; wal: number; ms: number }): void {
  total.cpu += m.cpu;
  total.wal += m.wal;
  total.ms += m.ms;
}

function cost(t: { cpu: number; wal: number; ms: number }, n: number): ChurnCost {
  return { usPerHeartbeat: (t.cpu / n) * 1e6, walBytesPerHeartbeat: t.wal / n, perSec: n / (t.ms / 1000) };
}

function describe(label: string, c: ChurnCost): string {
  return `${label} ${c.usPerHeartbeat.toFixed(1)} us PG CPU, ${Math.round(c.walBytesPerHeartbeat)} B WAL a heartbeat (${Math.round(c.perSec)}/s)`;
}

/**
 * The naive peer: one autocommitted UPDATE per heartbeat of a table holding only what it
 * keeps (id, firmware, last seen), with its primary key and nothing else: no history, no findings.
 */
async function naivePeer(url: string, fleet: Fleet, rounds: number): Promise<ChurnCost> {
  return withClient(url, async (c) => {
    await c.query(`CREATE TABLE naive_devices (id uuid PRIMARY KEY, firmware_version varchar(100), last_seen_at timestamptz)`);
    await c.query(`INSERT INTO naive_devices SELECT id, firmware_version, now() FROM devices`);
    await vacuumIfAutovacuumOff(c);
    const n = Math.min(fleet.ids.length, 5_000) * Math.min(rounds, 2);
    const lsn = async (): Promise<bigint> => BigInt((await c.query(`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS l`)).rows[0].l.split('.')[0]);
    const pid = Number((await c.query(`SELECT pg_backend_pid() AS pid`)).rows[0].pid);
    const wal0 = await lsn();
    const cpu0 = procCpuSeconds(pid);
    const t0 = performance.now();
    for (let k = 0; k < n; k++) {
      const i = k % Math.min(fleet.ids.length, 5_000);
      await c.query(`UPDATE naive_devices SET firmware_version = $2, last_seen_at = now() WHERE id = $1`, [fleet.ids[i], `7.0.${k}`]);
    }
    const ms = performance.now() - t0;
    const cpu = procCpuSeconds(pid) - cpu0;
    const wal = Number((await lsn()) - wal0);
    return cost({ cpu, wal, ms }, n);
  });
}

function heartbeats(fleet: Fleet, from: number, to: number, sentAtMs: number, firmware: string): CollapsedHeartbeat[] {
  const receivedAt = new Date();
  const sentAt = new Date(sentAtMs);
  const batch: CollapsedHeartbeat[] = [];
  for (let i = from; i < to; i++) {
    batch.push({
      deviceId: fleet.ids[i],
      registrable: true,
      firmwareVersion: firmware,
      sentAt,
      receivedAt,
      serialNumber: fleet.serials[i],
      batteryPercent: 20 + (i % 80),
      ipAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      count: 1,
      lastReceivedAt: receivedAt,
    });
  }
  return batch;
}
