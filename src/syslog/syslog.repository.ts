import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isoInstantSql } from '../common/iso-instant-sql';
import { AuditRow, SecurityEventRow } from './syslog-records';

export type SyslogChannel = 'security_events' | 'audit_log';

/** The place after the last delivered row: `xact` only for security events (migration 1764300026000). */
export interface SyslogCursor {
  xact: string | null;
  id: string;
}

export const START_OF_TABLE: SyslogCursor = { xact: '0', id: '0' };

export interface Pending<Row> {
  row: Row;
  /** The cursor once this row is delivered. */
  cursor: SyslogCursor;
}

/**
 * The delivery horizon: the oldest transaction still running in this database, or, when none is,
 * the next transaction id. Every transaction below it had ended when this statement ran, so any
 * row of theirs that will ever be visible is visible to a LATER statement: the rows are read in
 * a statement of their own after this one. Only this database's sessions count (and its prepared
 * transactions): a long transaction elsewhere on the cluster cannot hold delivery back. A
 * transaction that ended between the snapshot and the look at pg_stat_activity leaves the
 * horizon higher, which is safe for the same reason: it ended before the rows are read.
 */
const DELIVERY_HORIZON = `
  SELECT coalesce(
           (SELECT min(x) FROM pg_snapshot_xip(s) x
             WHERE x::xid IN (SELECT backend_xid FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL
                              UNION ALL
                              SELECT transaction FROM pg_prepared_xacts WHERE database = current_database())),
           pg_snapshot_xmax(s))::text AS horizon
    FROM pg_current_snapshot() s`;

const SECURITY_EVENTS_AFTER = `
  SELECT id::text AS id, type, device_id AS "deviceId", severity,
         to_char(detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "detectedAt",
         details, written_by_xact::text AS xact
    FROM security_events
   WHERE (written_by_xact, id) > ($1::xid8, $2::bigint)
     AND written_by_xact < $4::xid8
   ORDER BY written_by_xact, id
   LIMIT $3`;

// The audit chain's lock makes ids commit in order (src/audit/audit.repository.ts).
const AUDIT_AFTER = `
  SELECT id::text AS id, ${isoInstantSql('at')} AS at,
         actor_kind AS "actorKind", actor_id AS "actorId", actor_name AS "actorName", action,
         entity_type AS "entityType", entity_id AS "entityId", changes, hash
    FROM audit_log
   WHERE id > $1::bigint
   ORDER BY id
   LIMIT $2`;

/** `syslog_cursors` and the rows after them. */
@Injectable()
export class SyslogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The channel's cursor; a channel never delivered starts before its first row, so everything kept goes out. */
  async cursor(channel: SyslogChannel): Promise<SyslogCursor> {
    const [row]: Array<{ xact: string | null; id: string }> = await this.dataSource.query(
      `SELECT last_xact::text AS xact, last_id::text AS id FROM syslog_cursors WHERE channel = $1`,
      [channel],
    );
    if (row) return { xact: row.xact, id: row.id };
    await this.dataSource.query(`INSERT INTO syslog_cursors (channel, last_xact, last_id) VALUES ($1, $2::xid8, 0) ON CONFLICT (channel) DO NOTHING`, [
      channel,
      channel === 'security_events' ? '0' : null,
    ]);
    return channel === 'security_events' ? START_OF_TABLE : { xact: null, id: '0' };
  }

  async securityEventsAfter(after: SyslogCursor, limit: number): Promise<Array<Pending<SecurityEventRow>>> {
    const [{ horizon }]: Array<{ horizon: string }> = await this.dataSource.query(DELIVERY_HORIZON);
    const rows: Array<SecurityEventRow & { xact: string }> = await this.dataSource.query(SECURITY_EVENTS_AFTER, [after.xact ?? '0', after.id, limit, horizon]);
    return rows.map(({ xact, ...row }) => ({ row, cursor: { xact, id: row.id } }));
  }

  async auditAfter(after: SyslogCursor, limit: number): Promise<Array<Pending<AuditRow>>> {
    const rows: AuditRow[] = await this.dataSource.query(AUDIT_AFTER, [after.id, limit]);
    return rows.map((row) => ({ row, cursor: { xact: null, id: row.id } }));
  }

  /**
   * Moves the cursor from `from` to `to`; false when it was not at `from` any more (another
   * forwarder moved it: the caller reads it again rather than going back).
   */
  async advance(channel: SyslogChannel, from: SyslogCursor, to: SyslogCursor): Promise<boolean> {
    const rows: Array<{ channel: string }> = await this.dataSource.query(
      `WITH moved AS (
         UPDATE syslog_cursors SET last_xact = $4::xid8, last_id = $5::bigint, delivered_at = now()
          WHERE channel = $1 AND last_id = $3::bigint AND last_xact IS NOT DISTINCT FROM $2::xid8
          RETURNING channel)
       SELECT channel FROM moved`,
      [channel, from.xact, from.id, to.xact, to.id],
    );
    return rows.length === 1;
  }
}
