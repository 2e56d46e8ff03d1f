import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
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

// Only transactions older than every one still running: none of them can still add a row that
// sorts before what is read here.
const SECURITY_EVENTS_AFTER = `
  SELECT id::text AS id, type, device_id AS "deviceId", severity,
         to_char(detected_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "detectedAt",
         details, written_by_xact::text AS xact
    FROM security_events
   WHERE (written_by_xact, id) > ($1::xid8, $2::bigint)
     AND written_by_xact < pg_snapshot_xmin(pg_current_snapshot())
   ORDER BY written_by_xact, id
   LIMIT $3`;

// The audit chain's lock makes ids commit in order (src/audit/audit.repository.ts).
const AUDIT_AFTER = `
  SELECT id::text AS id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
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
    const rows: Array<SecurityEventRow & { xact: string }> = await this.dataSource.query(SECURITY_EVENTS_AFTER, [after.xact ?? '0', after.id, limit]);
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
