import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { INGEST_DATA_SOURCE } from '../database/ingest-data-source';
import { pgArrayLiteral } from '../database/pg-array-literal';
import { DevicesRepository } from '../inventory/devices.repository';
import { AddressChangeFact, detectHeartbeatEvents, FirmwareChangeFact, FirstSightingFact } from '../security-events/heartbeat-detection';
import { SecurityEventsRepository } from '../security-events/security-events.repository';
import { CollapsedHeartbeat } from './heartbeat-collapse';
import { RejectionReason } from './heartbeat-message';
import { HeartbeatPlan, KnownDeviceState, planHeartbeatBatch, Sighting } from './heartbeat-plan';
import { contestedDeviceIds, mergeSightings, settleSerialClaims } from './serial-claims';

export interface Rejection {
  receivedAt: Date;
  topic: string;
  reason: RejectionReason;
  detail: string;
  payload: string | null;
}

/** Only the newest rejections are kept; older ones are still counted in /metrics. */
export const MAX_STORED_REJECTIONS = 10_000;

/** A heartbeat whose device needs more than a presence update; routine ones are not returned. */
interface FlaggedRow {
  id: string;
  known: boolean;
  /** Its presence row was updated and said something other than online before. */
  came_online: boolean;
  /** The stored sentAt before this batch. */
  stored_sent_at: Date | null;
  stored_clock_ahead: boolean;
  /** With detection on: the applied heartbeat reported an address other than the stored one (which is `previous_ip`). */
  address_changed: boolean;
  previous_ip: string | null;
  reported_ip: string | null;
}

/**
 * Applies a whole heartbeat batch in one transaction with a handful of set-based statements,
 * never a statement per message. The common case, a device reporting the firmware it already
 * has, costs one statement for the whole batch: it locks the presence rows, updates them (last
 * seen, connectivity) and returns only the heartbeats that need more (unknown device, serial
 * mismatch, new firmware, or a device that just came online). Only for a firmware change is
 * `devices` locked and written.
 */
@Injectable()
export class HeartbeatRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly securityEvents: SecurityEventsRepository,
    private readonly config: AppConfig,
    /** Heartbeat batches' own connections (database/ingest-data-source.ts): never behind API reads. */
    @Inject(INGEST_DATA_SOURCE) private readonly ingest: DataSource,
  ) {}

  apply(collapsed: CollapsedHeartbeat[], rejections: Rejection[]): Promise<HeartbeatPlan> {
    return this.ingest.transaction(async (m) => {
      const { batch, mismatches } = await this.settleSerialClaims(m, collapsed);
      const registrable = batch.filter((h) => h.registrable);
      const flagged = await this.touchPresence(m, registrable);
      const known = await this.lockFlaggedDevices(m, flagged);
      const plan = planHeartbeatBatch(
        batch.filter((h) => !h.registrable || flagged.has(h.deviceId)),
        known,
      );
      plan.routine = registrable.length - flagged.size;
      plan.cameOnlineIds = [...flagged.values()].filter((r) => r.came_online).map((r) => r.id);
      plan.cameOnline = plan.cameOnlineIds.length;
      if (mismatches.length) plan.sightings = mergeSightings([...plan.sightings, ...mismatches]);
      await this.updateDeviceRecords(m, plan);
      await this.devices.recordFirmwareChanges(
        m,
        plan.firmwareChanges.map((c) => ({ ...c, source: 'heartbeat' as const, actorId: null })),
      );
      const firstSightings = await this.upsertSightings(m, plan.sightings);
      if (this.config.SECURITY_EVENTS_DETECTION) await this.detect(m, plan, flagged, firstSightings);
      await this.insertRejections(m, rejections);
      return plan;
    });
  }

  /**
   * Security events from what this batch changed, stored with their webhook deliveries in its
   * transaction: committed with the heartbeats or not at all, and, being state transitions,
   * never raised twice by a heartbeat the broker delivers again. The routine batch (no firmware
   * change, no new sighting, no new address) costs nothing here: every read below is skipped.
   */
  private async detect(m: EntityManager, plan: HeartbeatPlan, flagged: Map<string, FlaggedRow>, firstSightings: Sighting[]): Promise<void> {
    const addressChanges: AddressChangeFact[] = [];
    for (const r of flagged.values()) if (r.address_changed) addressChanges.push({ deviceId: r.id, from: r.previous_ip!, to: r.reported_ip! });
    if (!plan.firmwareChanges.length && !firstSightings.length && !addressChanges.length) return;
    const catalogs = await this.releaseCatalogs(
      m,
      plan.firmwareChanges.map((c) => c.deviceId),
    );
    const firmwareChanges: FirmwareChangeFact[] = plan.firmwareChanges.map((c) => ({ ...c, releases: catalogs.get(c.deviceId) ?? null }));
    const decommissioned = await this.decommissioned(
      m,
      firstSightings.filter((s) => s.reason === 'not_registered' && s.heartbeat.registrable).map((s) => s.claimedDeviceId),
    );
    const sightings: FirstSightingFact[] = firstSightings.map((s) => ({
      claimedDeviceId: s.claimedDeviceId,
      reason: s.reason,
      decommissioned: decommissioned.has(s.claimedDeviceId),
      firmwareVersion: s.heartbeat.firmwareVersion,
      serialNumber: s.heartbeat.serialNumber,
      ipAddress: s.heartbeat.ipAddress,
    }));
    plan.securityEvents = detectHeartbeatEvents({ firmwareChanges, firstSightings: sightings, addressChanges });
    plan.webhookDeliveries = (await this.securityEvents.record(m, plan.securityEvents)).queued;
  }

  /** The release catalog of each device's model, for the devices whose model has one. */
  private async releaseCatalogs(m: EntityManager, deviceIds: string[]): Promise<Map<string, string[]>> {
    if (!deviceIds.length) return new Map();
    const rows: Array<{ id: string; releases: string[] }> = await m.query(
      `SELECT d.id, array_agg(r.version) AS releases FROM devices d JOIN firmware_releases r ON r.model_id = d.model_id
        WHERE d.id = ANY($1::uuid[]) GROUP BY d.id`,
      [deviceIds],
    );
    return new Map(rows.map((r) => [r.id, r.releases]));
  }

  private async decommissioned(m: EntityManager, ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: Array<{ id: string }> = await m.query(`SELECT id FROM devices WHERE id = ANY($1::uuid[]) AND status = 'decommissioned'`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /**
   * A device whose heartbeats claimed different serials in this batch has one entry per claim;
   * its registered serial tells its own from an impostor's. Rare, so read only then, and without
   * a lock: the statement that applies the batch checks the serial again.
   */
  private async settleSerialClaims(m: EntityManager, collapsed: CollapsedHeartbeat[]): Promise<{ batch: CollapsedHeartbeat[]; mismatches: Sighting[] }> {
    if (!collapsed.some((h) => h.contested)) return { batch: collapsed, mismatches: [] };
    const ids = contestedDeviceIds(collapsed);
    const rows: Array<{ id: string; serial_number: string }> = ids.length
      ? await m.query(`SELECT id, serial_number FROM devices WHERE id = ANY($1::uuid[])`, [ids])
      : [];
    const { heartbeats, mismatches } = settleSerialClaims(collapsed, new Map(rows.map((r) => [r.id, r.serial_number])));
    return { batch: heartbeats, mismatches };
  }

  /**
   * One statement: lock the presence rows in id order (so concurrent batches of replicas and
   * the offline sweeper never deadlock, and each sees the newest sentAt and connectivity), apply
   * every heartbeat whose device exists and whose serial matches, and return the ones that need
   * more. The sweeper marks devices offline under the same row lock and re-checks last seen
   * after waiting, so a heartbeat and a sweep of one device always happen one after the other.
   */
  private async touchPresence(m: EntityManager, batch: CollapsedHeartbeat[]): Promise<Map<string, FlaggedRow>> {
    if (!batch.length) return new Map();
    const rows: FlaggedRow[] = await m.query(
      `WITH u AS (
         SELECT id, to_timestamp(received_ms / 1000) AS received_at, to_timestamp(sent_ms / 1000) AS sent_at, firmware, serial, battery, ip,
                to_timestamp(arrived_ms / 1000) AS arrived_at, clock_ahead
           FROM unnest($1::uuid[], $2::float8[], $3::float8[], $4::varchar[], $5::varchar[], $6::smallint[], $7::varchar[], $8::float8[], $9::boolean[])
                AS u(id, received_ms, sent_ms, firmware, serial, battery, ip, arrived_ms, clock_ahead)),
       locked AS (
         SELECT p.device_id, p.last_heartbeat_sent_at, p.last_heartbeat_clock_ahead, p.connectivity, p.ip_address, d.firmware_version, d.serial_number
           FROM device_presence p JOIN devices d ON d.id = p.device_id
          -- A decommissioned device is out of the inventory: an external broker still lets it
          -- publish until its account is removed, and what it says is kept as a sighting only.
          WHERE p.device_id = ANY($1::uuid[]) AND d.status <> 'decommissioned'
          ORDER BY p.device_id FOR UPDATE OF p),
       s AS (
         SELECT u.*, l.device_id IS NOT NULL AS known, l.last_heartbeat_sent_at AS stored_sent_at,
                COALESCE(l.last_heartbeat_clock_ahead, false) AS stored_clock_ahead,
                l.firmware_version, l.serial_number,
                l.device_id IS NOT NULL AND (NULLIF(u.serial, '') IS NULL OR u.serial = l.serial_number) AS ours,
                -- isNewerThanStored (heartbeat-order.ts)
                l.last_heartbeat_sent_at IS NULL
                  OR CASE WHEN l.last_heartbeat_clock_ahead THEN u.arrived_at ELSE u.sent_at END >= l.last_heartbeat_sent_at AS applies,
                l.connectivity IS DISTINCT FROM 'online' AS offline_before,
                l.ip_address AS previous_ip
           FROM u LEFT JOIN locked l ON l.device_id = u.id),
       detected AS (
         -- address_changed (security events): a reported address replacing another one; a first
         -- report, or a heartbeat without one, is no change.
         SELECT s.*, $10::boolean AND s.ours AND s.applies AND s.ip IS NOT NULL AND s.previous_ip IS NOT NULL AND s.ip <> s.previous_ip AS address_changed
           FROM s),
       touched AS (
         UPDATE device_presence p SET
            connectivity           = 'online',
            last_seen_at           = GREATEST(p.last_seen_at, s.received_at),
            last_heartbeat_sent_at = CASE WHEN s.applies THEN s.sent_at ELSE p.last_heartbeat_sent_at END,
            last_heartbeat_clock_ahead = CASE WHEN s.applies THEN s.clock_ahead ELSE p.last_heartbeat_clock_ahead END,
            battery_percent        = CASE WHEN s.applies THEN COALESCE(s.battery, p.battery_percent) ELSE p.battery_percent END,
            ip_address             = CASE WHEN s.applies THEN COALESCE(s.ip, p.ip_address) ELSE p.ip_address END
           FROM detected s WHERE p.device_id = s.id AND s.ours)
       SELECT id, known, ours AND offline_before AS came_online, stored_sent_at, stored_clock_ahead, address_changed, previous_ip, ip AS reported_ip FROM detected
        WHERE NOT ours OR offline_before OR (applies AND firmware IS DISTINCT FROM firmware_version) OR address_changed`,
      // Encoded here rather than by the driver (see pgArrayLiteral); times as epoch milliseconds,
      // as the driver formats a Date in local time, field by field (0.35 against 0.01 us a value).
      [
        pgArrayLiteral(batch.map((h) => h.deviceId)),
        pgArrayLiteral(batch.map((h) => h.lastReceivedAt.getTime())),
        pgArrayLiteral(batch.map((h) => h.sentAt.getTime())),
        pgArrayLiteral(batch.map((h) => h.firmwareVersion)),
        pgArrayLiteral(batch.map((h) => h.serialNumber)),
        pgArrayLiteral(batch.map((h) => h.batteryPercent)),
        pgArrayLiteral(batch.map((h) => h.ipAddress)),
        pgArrayLiteral(batch.map((h) => h.receivedAt.getTime())),
        pgArrayLiteral(batch.map((h) => (h.clockAhead ? 't' : 'f'))),
        this.config.SECURITY_EVENTS_DETECTION,
      ],
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /**
   * The inventory state of the flagged devices, their rows locked (in id order) and read fresh,
   * so the plan compares against what an API edit committed a moment ago.
   */
  private async lockFlaggedDevices(m: EntityManager, flagged: Map<string, FlaggedRow>): Promise<Map<string, KnownDeviceState>> {
    const ids = [...flagged.values()].filter((r) => r.known).map((r) => r.id);
    if (!ids.length) return new Map();
    const rows: Array<{ id: string; firmware_version: string | null; serial_number: string }> = await m.query(
      `SELECT id, firmware_version, serial_number FROM devices WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
    return new Map(
      rows.map((r) => {
        const stored = flagged.get(r.id)!;
        return [
          r.id,
          {
            id: r.id,
            firmwareVersion: r.firmware_version,
            serialNumber: r.serial_number,
            lastHeartbeatSentAt: stored.stored_sent_at,
            lastHeartbeatClockAhead: stored.stored_clock_ahead,
          },
        ];
      }),
    );
  }

  private async updateDeviceRecords(m: EntityManager, plan: HeartbeatPlan): Promise<void> {
    if (!plan.firmwareChanges.length) return;
    const c = plan.firmwareChanges;
    await m.query(
      `UPDATE devices d SET firmware_version = u.firmware, updated_at = now()
        FROM unnest($1::uuid[], $2::varchar[]) AS u(id, firmware)
       WHERE d.id = u.id`,
      [c.map((x) => x.deviceId), c.map((x) => x.toVersion)],
    );
  }

  /** Returns the sightings that were the first of their id and reason (an inserted row, not an updated one). */
  private async upsertSightings(m: EntityManager, sightings: Sighting[]): Promise<Sighting[]> {
    if (!sightings.length) return [];
    const rows: Array<{ claimed_device_id: string; reason: string; inserted: boolean }> = await m.query(
      `INSERT INTO unknown_devices (claimed_device_id, reason, first_seen_at, last_seen_at, heartbeat_count, claimed_firmware, claimed_serial, ip_address)
       SELECT id, reason, seen, seen, n, fw, serial, ip
         FROM unnest($1::varchar[], $2::varchar[], $3::timestamptz[], $4::bigint[], $5::varchar[], $6::varchar[], $7::varchar[])
              AS s(id, reason, seen, n, fw, serial, ip)
       ON CONFLICT (claimed_device_id, reason) DO UPDATE SET
          last_seen_at     = GREATEST(unknown_devices.last_seen_at, EXCLUDED.last_seen_at),
          heartbeat_count  = unknown_devices.heartbeat_count + EXCLUDED.heartbeat_count,
          claimed_firmware = EXCLUDED.claimed_firmware,
          claimed_serial   = COALESCE(EXCLUDED.claimed_serial, unknown_devices.claimed_serial),
          ip_address       = COALESCE(EXCLUDED.ip_address, unknown_devices.ip_address)
       RETURNING claimed_device_id, reason, xmax = 0 AS inserted`,
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
    const first = new Set(rows.filter((r) => r.inserted).map((r) => `${r.reason}\n${r.claimed_device_id}`));
    return sightings.filter((s) => first.has(`${s.reason}\n${s.claimedDeviceId}`));
  }

  private async insertRejections(m: EntityManager, rejections: Rejection[]): Promise<void> {
    if (!rejections.length) return;
    await m.query(
      `INSERT INTO ingest_rejections (received_at, topic, reason, detail, payload)
       SELECT * FROM unnest($1::timestamptz[], $2::varchar[], $3::varchar[], $4::varchar[], $5::text[])`,
      [
        rejections.map((r) => r.receivedAt),
        rejections.map((r) => r.topic.slice(0, 300)),
        rejections.map((r) => r.reason),
        rejections.map((r) => r.detail.slice(0, 500)),
        rejections.map((r) => r.payload),
      ],
    );
  }

  async pruneRejections(): Promise<void> {
    await this.dataSource.query(`DELETE FROM ingest_rejections WHERE id <= (SELECT max(id) FROM ingest_rejections) - $1`, [MAX_STORED_REJECTIONS]);
  }

  /**
   * Devices silent for longer than the threshold go offline; returns which did. The presence
   * rows are locked in id order, as a batch does, and re-checked after any wait, so a device
   * whose heartbeat commits meanwhile stays online.
   */
  async markSilentDevicesOffline(offlineAfterSeconds: number): Promise<string[]> {
    // Wrapped in a CTE so the driver returns plain rows (an UPDATE returns [rows, count]).
    const rows: Array<{ device_id: string }> = await this.dataSource.query(
      `WITH silent AS (
         SELECT device_id FROM device_presence
          WHERE connectivity = 'online'
            AND COALESCE(last_seen_at, '-infinity'::timestamptz) < now() - make_interval(secs => $1)
          ORDER BY device_id FOR UPDATE),
       changed AS (
         UPDATE device_presence p SET connectivity = 'offline'
           FROM silent s WHERE p.device_id = s.device_id
          RETURNING p.device_id)
       SELECT device_id FROM changed`,
      [offlineAfterSeconds],
    );
    return rows.map((r) => r.device_id);
  }
}
