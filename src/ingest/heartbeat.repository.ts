import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DevicesRepository } from '../inventory/devices.repository';
import { CollapsedHeartbeat } from './heartbeat-collapse';
import { RejectionReason } from './heartbeat-message';
import { HeartbeatPlan, KnownDeviceState, planHeartbeatBatch, Sighting } from './heartbeat-plan';

export interface Rejection {
  receivedAt: Date;
  topic: string;
  reason: RejectionReason;
  detail: string;
  payload: string | null;
}

/** Only the newest rejections are kept; older ones are still counted in /metrics. */
export const MAX_STORED_REJECTIONS = 10_000;

/**
 * Applies a whole heartbeat batch in one transaction with a handful of set-based statements
 * (lock, update, history, sightings, rejections), never a statement per message.
 */
@Injectable()
export class HeartbeatRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
  ) {}

  apply(batch: CollapsedHeartbeat[], rejections: Rejection[]): Promise<HeartbeatPlan> {
    return this.dataSource.transaction(async (m) => {
      const known = await this.lockKnown(m, batch);
      const plan = planHeartbeatBatch(batch, known);
      await this.updateDevices(m, plan);
      await this.devices.recordFirmwareChanges(m, plan.firmwareChanges.map((c) => ({ ...c, source: 'heartbeat' as const, actorId: null })));
      await this.upsertSightings(m, plan.sightings);
      await this.insertRejections(m, rejections);
      return plan;
    });
  }

  /** Row locks in id order, so concurrent batches (replicas) never deadlock. */
  private async lockKnown(m: EntityManager, batch: CollapsedHeartbeat[]): Promise<Map<string, KnownDeviceState>> {
    const ids = batch.filter((h) => h.registrable).map((h) => h.deviceId);
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; firmware_version: string | null; serial_number: string; last_heartbeat_sent_at: Date | null; connectivity: string }> = await m.query(
      `SELECT id, firmware_version, serial_number, last_heartbeat_sent_at, connectivity
         FROM devices WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { id: r.id, firmwareVersion: r.firmware_version, serialNumber: r.serial_number, lastHeartbeatSentAt: r.last_heartbeat_sent_at, connectivity: r.connectivity }]));
  }

  private async updateDevices(m: EntityManager, plan: HeartbeatPlan): Promise<void> {
    if (!plan.updates.length) return;
    const u = plan.updates;
    await m.query(
      `UPDATE devices d SET
          last_seen_at = GREATEST(d.last_seen_at, u.received_at),
          connectivity = 'online',
          firmware_version       = CASE WHEN u.applies THEN u.firmware ELSE d.firmware_version END,
          last_heartbeat_sent_at = CASE WHEN u.applies THEN u.sent_at ELSE d.last_heartbeat_sent_at END,
          battery_percent        = CASE WHEN u.applies THEN COALESCE(u.battery, d.battery_percent) ELSE d.battery_percent END,
          ip_address             = CASE WHEN u.applies THEN COALESCE(u.ip, d.ip_address) ELSE d.ip_address END,
          updated_at = now()
        FROM unnest($1::uuid[], $2::timestamptz[], $3::boolean[], $4::varchar[], $5::timestamptz[], $6::smallint[], $7::varchar[])
             AS u(id, received_at, applies, firmware, sent_at, battery, ip)
       WHERE d.id = u.id`,
      [
        u.map((x) => x.id),
        u.map((x) => x.receivedAt),
        u.map((x) => x.applies),
        u.map((x) => x.heartbeat.firmwareVersion),
        u.map((x) => x.heartbeat.sentAt),
        u.map((x) => x.heartbeat.batteryPercent),
        u.map((x) => x.heartbeat.ipAddress),
      ],
    );
  }

  private async upsertSightings(m: EntityManager, sightings: Sighting[]): Promise<void> {
    if (!sightings.length) return;
    await m.query(
      `INSERT INTO unknown_devices (claimed_device_id, reason, first_seen_at, last_seen_at, heartbeat_count, claimed_firmware, claimed_serial, ip_address)
       SELECT id, reason, seen, seen, n, fw, serial, ip
         FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::bigint[], $5::varchar[], $6::varchar[], $7::varchar[])
              AS s(id, reason, seen, n, fw, serial, ip)
       ON CONFLICT (claimed_device_id, reason) DO UPDATE SET
          last_seen_at     = GREATEST(unknown_devices.last_seen_at, EXCLUDED.last_seen_at),
          heartbeat_count  = unknown_devices.heartbeat_count + EXCLUDED.heartbeat_count,
          claimed_firmware = EXCLUDED.claimed_firmware,
          claimed_serial   = COALESCE(EXCLUDED.claimed_serial, unknown_devices.claimed_serial),
          ip_address       = COALESCE(EXCLUDED.ip_address, unknown_devices.ip_address)`,
      [
        sightings.map((s) => s.claimedDeviceId),
        sightings.map((s) => s.reason),
        sightings.map((s) => s.heartbeat.lastReceivedAt),
        sightings.map((s) => s.heartbeat.count),
        sightings.map((s) => s.heartbeat.firmwareVersion),
        sightings.map((s) => s.heartbeat.serialNumber),
        sightings.map((s) => s.heartbeat.ipAddress),
      ],
    );
  }

  private async insertRejections(m: EntityManager, rejections: Rejection[]): Promise<void> {
    if (!rejections.length) return;
    await m.query(
      `INSERT INTO ingest_rejections (received_at, topic, reason, detail, payload)
       SELECT * FROM unnest($1::timestamptz[], $2::varchar[], $3::varchar[], $4::varchar[], $5::text[])`,
      [rejections.map((r) => r.receivedAt), rejections.map((r) => r.topic.slice(0, 300)), rejections.map((r) => r.reason), rejections.map((r) => r.detail.slice(0, 500)), rejections.map((r) => r.payload)],
    );
  }

  async pruneRejections(): Promise<void> {
    await this.dataSource.query(`DELETE FROM ingest_rejections WHERE id <= (SELECT max(id) FROM ingest_rejections) - $1`, [MAX_STORED_REJECTIONS]);
  }

  /** Devices silent for longer than the threshold go offline; returns how many did. */
  async markSilentDevicesOffline(offlineAfterSeconds: number): Promise<number> {
    // Wrapped in a CTE so the driver returns a plain row (an UPDATE returns [rows, count]).
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `WITH changed AS (
         UPDATE devices SET connectivity = 'offline', updated_at = now()
          WHERE connectivity = 'online' AND last_seen_at < now() - make_interval(secs => $1)
          RETURNING 1)
       SELECT count(*)::int AS n FROM changed`,
      [offlineAfterSeconds],
    );
    return row.n;
  }
}
