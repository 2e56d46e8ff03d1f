import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsLocked } from '../src/database/migration-runner';
import { CollapsedHeartbeat } from '../src/ingest/heartbeat-collapse';
import { HEARTBEAT_MAX_BATCH } from '../src/ingest/heartbeat-ingest.service';
import { HeartbeatRepository } from '../src/ingest/heartbeat.repository';
import { DevicesRepository } from '../src/inventory/devices.repository';
import { DeviceEntity } from '../src/inventory/entities/device.entity';
import { loadConfig } from '../src/config/app-config';
import { SecurityEventsRepository } from '../src/security-events/security-events.repository';
import { BenchContext } from './context';
import { postgresCpuSeconds } from './lib/cpu';
import { createDatabase, Fleet, seedFleet, vacuumIfAutovacuumOff, withClient } from './lib/seed';

export interface PresenceResult {
  devices: number;
  heartbeats: number;
  batchSize: number;
  /** CPU of every PostgreSQL process while the timed rounds ran. */
  postgresCpuSeconds: number;
  usPerHeartbeat: number;
  wallSeconds: number;
  perSec: number;
}

/**
 * PostgreSQL's own cost of routine heartbeats, with nothing else running: the service's
 * HeartbeatRepository applies the ingest case's workload (`--devices`, `--messages`) in batches
 * of the service's largest size, one batch at a time on one connection, and the CPU of every
 * PostgreSQL process is read from /proc. No broker, no service process, no publishers.
 *
 * Why: on two shared cores the ingest ratio is bounded by what PostgreSQL costs (bench/README.md,
 * "The ceiling"); this isolates that cost, so a change to the heartbeat SQL can be judged on its
 * own, in CPU rather than in a rate that moves with the machine.
 */
export async function benchPresence(ctx: BenchContext): Promise<PresenceResult> {
  const { options: o, cleanup, log } = ctx;
  // The migration runner logs through Nest's logger; in this process that is only noise.
  Logger.overrideLogger(['error', 'warn']);
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_presence`);
  const dataSource = new DataSource(dataSourceOptions(db.url, 2));
  await dataSource.initialize();
  const forget = cleanup.add('presence data source', () => dataSource.destroy());
  try {
    await runMigrationsLocked(dataSource);
    const fleet = await seedFleet(db.url, o.devices);
    const repository = new HeartbeatRepository(
      dataSource,
      new DevicesRepository(dataSource.getRepository(DeviceEntity)),
      new SecurityEventsRepository(dataSource),
      loadConfig({}),
      dataSource,
    );
    const rounds = Math.max(1, Math.round(o.messages / o.devices));
    const baseSentAtMs = Date.now() - 3_600_000;
    const apply = async (round: number): Promise<void> => {
      for (let from = 0; from < fleet.ids.length; from += HEARTBEAT_MAX_BATCH) {
        const batch = heartbeats(fleet, from, Math.min(from + HEARTBEAT_MAX_BATCH, fleet.ids.length), baseSentAtMs + round * 1000);
        const plan = await repository.apply(batch, []);
        // Round 0 brings every device online (a transition); after it, every heartbeat is routine.
        if (round > 0 && plan.routine !== batch.length) throw new Error(`presence: round ${round} had ${batch.length - plan.routine} non-routine heartbeats`);
      }
    };
    await apply(0);
    await withClient(db.url, vacuumIfAutovacuumOff);
    const cpuBefore = postgresCpuSeconds();
    const started = Date.now();
    for (let round = 1; round <= rounds; round++) await apply(round);
    const wallSeconds = (Date.now() - started) / 1000;
    const cpu = postgresCpuSeconds() - cpuBefore;
    const total = rounds * fleet.ids.length;
    const applied = await withClient(db.url, async (c) =>
      Number(
        (
          await c.query(`SELECT count(*) AS n FROM device_presence WHERE last_heartbeat_sent_at = to_timestamp($1::float8 / 1000)`, [
            baseSentAtMs + rounds * 1000,
          ])
        ).rows[0].n,
      ),
    );
    if (applied !== fleet.ids.length) throw new Error(`presence: ${applied} of ${fleet.ids.length} devices at the last round`);
    const result: PresenceResult = {
      devices: fleet.ids.length,
      heartbeats: total,
      batchSize: HEARTBEAT_MAX_BATCH,
      postgresCpuSeconds: cpu,
      usPerHeartbeat: (cpu / total) * 1e6,
      wallSeconds,
      perSec: total / wallSeconds,
    };
    log(
      `presence: ${total} routine heartbeats in ${wallSeconds.toFixed(2)} s (${Math.round(result.perSec)}/s, one connection); PostgreSQL ${cpu.toFixed(2)} CPU-s = ${result.usPerHeartbeat.toFixed(1)} us a heartbeat`,
    );
    return result;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    forget();
    await db.drop();
  }
}

/** One round's heartbeats for devices [from, to): the firmware and serial they were seeded with. */
function heartbeats(fleet: Fleet, from: number, to: number, sentAtMs: number): CollapsedHeartbeat[] {
  const receivedAt = new Date();
  const sentAt = new Date(sentAtMs);
  const batch: CollapsedHeartbeat[] = [];
  for (let i = from; i < to; i++) {
    batch.push({
      deviceId: fleet.ids[i],
      registrable: true,
      firmwareVersion: '1.0.0',
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
