import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { SEVERITY_RANK_SQL } from '../advisories/severity';
import { isoInstantSql } from '../common/iso-instant-sql';
import { DECISION_JOIN_SQL, FINDING_DECISION_RANK_SQL, FINDING_DECISION_SQL } from '../prioritisation/priority-summary.sql';
import { NewSecurityEvent, SecurityEventSeverity, SecurityEventType } from './security-event-types';

export interface SecurityEventRow {
  id: string;
  type: SecurityEventType;
  device_id: string | null;
  severity: SecurityEventSeverity;
  detected_at: Date;
  details: Record<string, unknown>;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

export interface SecurityEventFilter {
  type?: SecurityEventType;
  deviceId?: string;
  since?: string;
  unacknowledged?: boolean;
  /** Only events about a registered device (biomed reads those alone). */
  deviceEventsOnly: boolean;
  /** Ids below this one (the previous page's last). */
  beforeId?: string;
  limit: number;
}

/** What storing events did: how many outbox rows it queued for webhooks (0: no worker to wake). */
export interface Recorded {
  stored: number;
  queued: number;
}

/**
 * The outbox fan-out, run in the statement that stores events (`ev`, with id and type): one
 * delivery row for every enabled webhook that subscribed to the event's type. Being in the same
 * transaction is the point: an event is delivered if and only if it was committed.
 */
const QUEUE_DELIVERIES = `
  queued AS (
    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type)
    SELECT w.id, ev.id, ev.type FROM ev JOIN webhooks w ON w.enabled AND w.events @> ARRAY[ev.type]::varchar[]
    RETURNING 1)
  SELECT (SELECT count(*) FROM ev)::int AS stored, (SELECT count(*) FROM queued)::int AS queued`;

/** The day's figures the digest is made from (SecurityEventsRepository.digestFacts). */
export interface DigestFacts {
  newlyExposedDevices: number;
  newFindingsByDecision: Record<string, number>;
  overdueWorkOrders: number;
  oldestOverdue: Array<{ workOrderId: string; deviceId: string; decision: string; dueAt: string }>;
  newRogueDevices: number;
  rogueDevices: Array<{ claimedDeviceId: string; reason: string; firstSeenAt: string; ipAddress: string | null }>;
  securityEventsByType: Record<string, number>;
}

@Injectable()
export class SecurityEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Stores the events and their webhook deliveries in the caller's transaction, one statement for all. */
  async record(m: EntityManager, events: NewSecurityEvent[]): Promise<Recorded> {
    if (!events.length) return { stored: 0, queued: 0 };
    const [row]: Recorded[] = await m.query(
      `WITH ev AS (
         INSERT INTO security_events (type, device_id, severity, details)
         SELECT type, device_id, severity, details::jsonb FROM unnest($1::varchar[], $2::uuid[], $3::varchar[], $4::text[]) AS e(type, device_id, severity, details)
         RETURNING id, type),
       ${QUEUE_DELIVERIES}`,
      [events.map((e) => e.type), events.map((e) => e.deviceId), events.map((e) => e.severity), events.map((e) => JSON.stringify(e.details))],
    );
    return row;
  }

  /**
   * exposure_opened for every open finding of these devices, opened in the last day, whose
   * advisory is at or above the rank: one per finding (a unique index on its id), so hearing
   * the same findings change twice, or on two replicas, stores it once.
   */
  recordExposures(deviceIds: string[], minSeverityRank: number, minDecisionRank: number): Promise<Recorded> {
    return this.dataSource.transaction(async (m) => {
      const [row]: Recorded[] = await m.query(
        `WITH candidates AS (
           SELECT f.id, f.device_id, f.advisory_id, a.title, a.severity AS advisory_severity, f.firmware_at_detection, f.fixed_version, f.affected_versions, ${FINDING_DECISION_SQL} AS decision
             FROM findings f JOIN advisories a ON a.id = f.advisory_id ${DECISION_JOIN_SQL}
            WHERE f.device_id = ANY($1::uuid[]) AND f.status = 'open' AND f.detected_at > now() - interval '1 day'
              AND (${SEVERITY_RANK_SQL} >= $2 OR ${FINDING_DECISION_RANK_SQL} >= $3)),
         ev AS (
           INSERT INTO security_events (type, device_id, severity, details)
           SELECT 'exposure_opened', c.device_id,
                  CASE c.advisory_severity WHEN 'critical' THEN 'critical' WHEN 'high' THEN 'high' WHEN 'medium' THEN 'medium' WHEN 'low' THEN 'low'
                       WHEN 'none' THEN 'info' ELSE 'high' END,
                  jsonb_build_object('findingId', c.id::text, 'advisoryId', c.advisory_id, 'advisoryTitle', c.title, 'advisorySeverity', c.advisory_severity,
                                     'firmwareVersion', c.firmware_at_detection, 'fixedVersion', c.fixed_version, 'affectedVersions', c.affected_versions,
                                     'decision', c.decision)
             FROM candidates c ORDER BY c.id
           ON CONFLICT ((details ->> 'findingId')) WHERE type = 'exposure_opened' DO NOTHING
           RETURNING id, type),
         ${QUEUE_DELIVERIES}`,
        [deviceIds, minSeverityRank, minDecisionRank],
      );
      return row;
    });
  }

  /** work_order_overdue for each active work order past its due date, once per order and due date. */
  async recordOverdueWorkOrders(): Promise<Recorded> {
    const [row]: Recorded[] = await this.dataSource.query(
      `WITH ev AS (
         INSERT INTO security_events (type, device_id, severity, details)
         SELECT 'work_order_overdue', o.device_id, CASE o.decision WHEN 'immediate' THEN 'high' ELSE 'medium' END,
                jsonb_build_object('workOrderId', o.id, 'dueAt', ${isoInstantSql('o.due_at')},
                                   'decision', o.decision, 'status', o.status)
           FROM work_orders o
          WHERE o.status IN ('open', 'scheduled', 'in_progress', 'verifying') AND o.due_at < now()
          ORDER BY o.due_at
         ON CONFLICT ((details ->> 'workOrderId'), (details ->> 'dueAt')) WHERE type = 'work_order_overdue' DO NOTHING
         RETURNING id, type),
       ${QUEUE_DELIVERIES}`,
    );
    return row;
  }

  /** What the daily digest reports, for the day ending now. */
  async digestFacts(): Promise<DigestFacts> {
    const [row]: Array<{ facts: DigestFacts }> = await this.dataSource.query(
      `SELECT jsonb_build_object(
         'newlyExposedDevices', (SELECT count(DISTINCT f.device_id)::int FROM findings f
                                  WHERE f.status = 'open' AND f.detected_at >= now() - interval '1 day'),
         'newFindingsByDecision', (SELECT COALESCE(jsonb_object_agg(d, n), '{}'::jsonb) FROM (
                                     SELECT COALESCE(${FINDING_DECISION_SQL}, 'undecided') AS d, count(*)::int AS n FROM findings f ${DECISION_JOIN_SQL}
                                      WHERE f.status = 'open' AND f.detected_at >= now() - interval '1 day' GROUP BY 1) x),
         'overdueWorkOrders', (SELECT count(*)::int FROM work_orders o
                                WHERE o.status IN ('open', 'scheduled', 'in_progress', 'verifying') AND o.due_at < now()),
         'oldestOverdue', (SELECT COALESCE(jsonb_agg(jsonb_build_object('workOrderId', o.id, 'deviceId', o.device_id, 'decision', o.decision, 'dueAt', o.due_at)
                                                   ORDER BY o.due_at), '[]'::jsonb)
                             FROM (SELECT * FROM work_orders o WHERE o.status IN ('open', 'scheduled', 'in_progress', 'verifying') AND o.due_at < now()
                                    ORDER BY o.due_at LIMIT 20) o),
         'newRogueDevices', (SELECT count(*)::int FROM unknown_devices u WHERE u.first_seen_at >= now() - interval '1 day'),
         'rogueDevices', (SELECT COALESCE(jsonb_agg(jsonb_build_object('claimedDeviceId', u.claimed_device_id, 'reason', u.reason, 'firstSeenAt', u.first_seen_at,
                                                                       'ipAddress', u.ip_address) ORDER BY u.first_seen_at DESC), '[]'::jsonb)
                            FROM (SELECT * FROM unknown_devices u WHERE u.first_seen_at >= now() - interval '1 day' ORDER BY u.first_seen_at DESC LIMIT 20) u),
         'securityEventsByType', (SELECT COALESCE(jsonb_object_agg(type, n), '{}'::jsonb) FROM (
                                    SELECT type, count(*)::int AS n FROM security_events
                                     WHERE detected_at >= now() - interval '1 day' AND type <> 'daily_digest' GROUP BY type) e)
       ) AS facts`,
    );
    return row.facts;
  }

  /** One daily_digest event per role for `date`; a digest already stored for that date and role is kept. */
  async recordDigests(date: string, digests: Array<{ role: string; content: Record<string, unknown> }>): Promise<Recorded> {
    const [row]: Recorded[] = await this.dataSource.query(
      `WITH ev AS (
         INSERT INTO security_events (type, device_id, severity, details)
         SELECT 'daily_digest', NULL, 'info', jsonb_build_object('date', $1::text, 'role', d.role) || d.content
           FROM unnest($2::varchar[], $3::jsonb[]) AS d(role, content)
         ON CONFLICT ((details ->> 'date'), (details ->> 'role')) WHERE type = 'daily_digest' DO NOTHING
         RETURNING id, type),
       ${QUEUE_DELIVERIES}`,
      [date, digests.map((d) => d.role), digests.map((d) => JSON.stringify(d.content))],
    );
    return row;
  }

  async list(f: SecurityEventFilter): Promise<SecurityEventRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (f.type) add('type = ?', f.type);
    if (f.deviceId) add('device_id = ?::uuid', f.deviceId);
    if (f.since) add('detected_at >= ?::timestamptz', f.since);
    if (f.beforeId) add('id < ?::bigint', f.beforeId);
    if (f.unacknowledged) where.push('acknowledged_at IS NULL');
    if (f.deviceEventsOnly) where.push('device_id IS NOT NULL');
    params.push(f.limit);
    return this.dataSource.query(
      `SELECT id::text AS id, type, device_id, severity, detected_at, details, acknowledged_by, acknowledged_at
         FROM security_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        -- The table's bigint, not the text alias of the same name ("9" sorts after "10").
        ORDER BY security_events.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  async findById(id: string): Promise<SecurityEventRow | null> {
    const [row]: SecurityEventRow[] = await this.dataSource.query(
      `SELECT id::text AS id, type, device_id, severity, detected_at, details, acknowledged_by, acknowledged_at FROM security_events WHERE id = $1::bigint`,
      [id],
    );
    return row ?? null;
  }

  /** Null when the event does not exist or was acknowledged already (its row tells which). */
  async acknowledge(m: EntityManager, id: string, by: string): Promise<SecurityEventRow | null> {
    const rows: SecurityEventRow[] = await m.query(
      `WITH done AS (
         UPDATE security_events SET acknowledged_by = $2, acknowledged_at = now() WHERE id = $1::bigint AND acknowledged_at IS NULL
         RETURNING id, type, device_id, severity, detected_at, details, acknowledged_by, acknowledged_at)
       SELECT id::text AS id, type, device_id, severity, detected_at, details, acknowledged_by, acknowledged_at FROM done`,
      [id, by],
    );
    return rows[0] ?? null;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
