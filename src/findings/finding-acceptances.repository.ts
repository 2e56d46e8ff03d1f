import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { expiredUnsweptSql } from '../prioritisation/priority-summary.sql';

export interface AcceptanceRecord {
  id: string;
  findingId: string;
  deviceId: string;
  reason: string;
  compensatingControl: string;
  expiresAt: Date;
  acceptedBy: string;
  acceptedAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

type Row = {
  id: string;
  finding_id: string;
  device_id: string;
  reason: string;
  compensating_control: string;
  expires_at: Date;
  accepted_by: string;
  accepted_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
};

const COLUMNS = `id, finding_id, device_id, reason, compensating_control, expires_at, accepted_by, accepted_at, revoked_at, revoked_by`;

function toRecord(r: Row): AcceptanceRecord {
  return {
    id: r.id,
    findingId: String(r.finding_id),
    deviceId: r.device_id,
    reason: r.reason,
    compensatingControl: r.compensating_control,
    expiresAt: r.expires_at,
    acceptedBy: r.accepted_by,
    acceptedAt: r.accepted_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  };
}

/** Risk acceptances and the findings.accepted_until they keep; writes run inside the findings lock (FindingsRepository.locked). */
@Injectable()
export class FindingAcceptancesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The finding, locked against a second acceptance of it; null when there is none. */
  async lockFinding(m: EntityManager, findingId: string): Promise<{ id: string; deviceId: string; status: string } | null> {
    const rows: Array<{ id: string; device_id: string; status: string }> = await m.query(
      `SELECT id, device_id, status FROM findings WHERE id = $1 FOR UPDATE`,
      [findingId],
    );
    return rows[0] ? { id: String(rows[0].id), deviceId: rows[0].device_id, status: rows[0].status } : null;
  }

  async active(m: EntityManager, findingId: string): Promise<AcceptanceRecord | null> {
    const rows: Row[] = await m.query(
      `SELECT ${COLUMNS} FROM finding_acceptances WHERE finding_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY accepted_at DESC LIMIT 1`,
      [findingId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async insert(
    m: EntityManager,
    a: { findingId: string; deviceId: string; reason: string; compensatingControl: string; expiresAt: Date; acceptedBy: string },
  ): Promise<AcceptanceRecord> {
    const rows: Row[] = await m.query(
      `INSERT INTO finding_acceptances (finding_id, device_id, reason, compensating_control, expires_at, accepted_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [a.findingId, a.deviceId, a.reason, a.compensatingControl, a.expiresAt, a.acceptedBy],
    );
    await m.query(`UPDATE findings SET accepted_until = $2 WHERE id = $1`, [a.findingId, a.expiresAt]);
    return toRecord(rows[0]);
  }

  async revoke(m: EntityManager, acceptanceId: string, findingId: string, revokedBy: string): Promise<AcceptanceRecord> {
    const rows: Row[] = await m.query(
      `WITH u AS (UPDATE finding_acceptances SET revoked_at = now(), revoked_by = $2 WHERE id = $1 RETURNING ${COLUMNS}) SELECT * FROM u`,
      [acceptanceId, revokedBy],
    );
    await m.query(`UPDATE findings SET accepted_until = NULL WHERE id = $1`, [findingId]);
    return toRecord(rows[0]);
  }

  /** The latest acceptance of each finding, in whatever state. */
  async latestOf(findingIds: string[]): Promise<Map<string, AcceptanceRecord>> {
    if (!findingIds.length) return new Map();
    const rows: Row[] = await this.dataSource.query(
      `SELECT DISTINCT ON (finding_id) ${COLUMNS} FROM finding_acceptances WHERE finding_id = ANY($1::bigint[]) ORDER BY finding_id, accepted_at DESC`,
      [findingIds],
    );
    return new Map(rows.map((r) => [String(r.finding_id), toRecord(r)]));
  }

  /** Whether an open finding's acceptance has run out and the sweep has not brought it back yet: an index probe. */
  async anyExpired(): Promise<boolean> {
    const [row]: Array<{ due: boolean }> = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM findings f WHERE f.status = 'open' AND ${expiredUnsweptSql('f')}) AS due`,
    );
    return row.due;
  }

  /** Clears the expired acceptances of open findings; returns their devices, whose summaries must follow. */
  async clearExpired(m: EntityManager): Promise<string[]> {
    const rows: Array<{ device_id: string }> = await m.query(
      `WITH u AS (UPDATE findings f SET accepted_until = NULL
                   WHERE f.status = 'open' AND ${expiredUnsweptSql('f')} RETURNING f.device_id)
       SELECT DISTINCT device_id FROM u`,
    );
    return rows.map((r) => r.device_id);
  }
}
