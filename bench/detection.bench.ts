import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { runMigrationsLocked } from '../src/database/migration-runner';
import { CollapsedHeartbeat } from '../src/ingest/heartbeat-collapse';
import { HEARTBEAT_MAX_BATCH } from '../src/ingest/heartbeat-ingest.service';
import { HeartbeatRepository } from '../src/ingest/heartbeat.repository';
import { DevicesRepository } from '../src/inventory/devices.repository';
import { DeviceEntity } from '../src/inventory/entities/device.entity';
import { SecurityEventsRepository } from '../src/security-events/security-events.repository';
import { BenchContext, verdict, Verdict } from './context';
import { createDatabase, Fleet, seedFleet, vacuumIfAutovacuumOff, withClient } from './lib/seed';

export interface DetectionResult {
  devices: number;
  roundsPerMode: number;
  /** Heartbeats a round that report a new address (an event each with detection on): the movers and the previous round's, moving back. */
  addressChangesPerRound: number;
  /** Median of each mode's rounds, heartbeats per second. */
  offPerSec: number;
  onPerSec: number;
  /** on / off: 1.0 is "detection costs nothing". */
  ratio: number;
  eventsStored: number;
  verdicts: Verdict[];
}

/** Every device reports its address again; one in a hundred moves to a new one (and moves back the next round). */
const ADDRESS_CHANGE_EVERY = 100;

/**
 * What security-event detection costs the heartbeat path: the same routine workload as the
 * presence case (the service's HeartbeatRepository against PostgreSQL, batches of 2,500), run
 * with SECURITY_EVENTS_DETECTION off and on in alternating rounds of one run, so both modes see
 * the same machine load; 2 % of heartbeats per round report a new address (1 % move, last
 * round's 1 % move back), which with detection on stores an address_changed event each. Reported as the ratio of the two medians.
 */
export async function benchDetection(ctx: BenchContext): Promise<DetectionResult> {
  const { options: o, cleanup, log } = ctx;
  Logger.overrideLogger(['error', 'warn']);
  const db = await createDatabase(cleanup, `iomt_bench_${ctx.stamp}_detection`);
  const dataSource = new DataSource(dataSourceOptions(db.url, 2));
  await dataSource.initialize();
  const forget = cleanup.add('detection data source', () => dataSource.destroy());
  try {
    await runMigrationsLocked(dataSource);
    const fleet = await seedFleet(db.url, o.devices);
    const devices = new DevicesRepository(dataSource.getRepository(DeviceEntity));
    const events = new SecurityEventsRepository(dataSource);
    const repositories = {
      off: new HeartbeatRepository(dataSource, devices, events, loadConfig({ SECURITY_EVENTS_DETECTION: 'false' }), dataSource),
      on: new HeartbeatRepository(dataSource, devices, events, loadConfig({ SECURITY_EVENTS_DETECTION: 'true' }), dataSource),
    };
    const baseSentAtMs = Date.now() - 3_600_000;
    let round = 0;
    const apply = async (mode: 'off' | 'on'): Promise<number> => {
      round++;
      const started = process.hrtime.bigint();
      for (let from = 0; from < fleet.ids.length; from += HEARTBEAT_MAX_BATCH) {
        await repositories[mode].apply(heartbeats(fleet, from, Math.min(from + HEARTBEAT_MAX_BATCH, fleet.ids.length), baseSentAtMs + round * 1000, round), []);
      }
      return fleet.ids.length / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    // Round one brings every device online and stores its first address; then warm both modes.
    await apply('off');
    await withClient(db.url, vacuumIfAutovacuumOff);
    await apply('on');
    await apply('off');
    const rounds = Math.max(3, Math.round(o.messages / o.devices / 2));
    const rates = { off: [] as number[], on: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      // Alternating which mode goes first in a pair: neither is always the one after a vacuum or a checkpoint.
      for (const mode of i % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) rates[mode].push(await apply(mode));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const offPerSec = median(rates.off);
    const onPerSec = median(rates.on);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM security_events`);
    const result: DetectionResult = {
      devices: fleet.ids.length,
      roundsPerMode: rounds,
      addressChangesPerRound: 2 * Math.ceil(fleet.ids.length / ADDRESS_CHANGE_EVERY),
      offPerSec,
      onPerSec,
      ratio: onPerSec / offPerSec,
      eventsStored: n,
      verdicts: [],
    };
    result.verdicts.push(
      verdict('ingest with security-event detection', `${(result.ratio * 100).toFixed(1)} % of the rate without it`, '>= 95 %', result.ratio >= 0.95),
    );
    log(
      `detection: off ${Math.round(offPerSec)}/s, on ${Math.round(onPerSec)}/s (median of ${rounds} alternating rounds each, ${fleet.ids.length} devices); ratio ${result.ratio.toFixed(3)}; ${n} events stored`,
    );
    return result;
  } finally {
    await dataSource.destroy().catch(() => undefined);
    forget();
    await db.drop();
  }
}

/** A round's heartbeats for devices [from, to): routine, but for one device in a hundred (others each round) on a new address. */
function heartbeats(fleet: Fleet, from: number, to: number, sentAtMs: number, round: number): CollapsedHeartbeat[] {
  const receivedAt = new Date();
  const sentAt = new Date(sentAtMs);
  const batch: CollapsedHeartbeat[] = [];
  for (let i = from; i < to; i++) {
    const moved = (i + round) % ADDRESS_CHANGE_EVERY === 0 ? round : 0;
    batch.push({
      deviceId: fleet.ids[i],
      registrable: true,
      firmwareVersion: '1.0.0',
      sentAt,
      receivedAt,
      serialNumber: fleet.serials[i],
      batteryPercent: 20 + (i % 80),
      ipAddress: `10.${moved & 255}.${(i >> 8) & 255}.${i & 255}`,
      count: 1,
      lastReceivedAt: receivedAt,
    });
  }
  return batch;
}
