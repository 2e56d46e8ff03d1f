import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DeviceUnderTest, Exposure } from './exposure-rules';
import { SEVERITY_RANK_SQL } from '../advisories/severity';
import { expiredUnsweptSql, NOT_ACCEPTED_SQL } from '../prioritisation/priority-summary.sql';

export type ReconciledDevice = DeviceUnderTest & { decommissioned: boolean; owed: boolean };

/** The reads of the reconciliation: what the findings are, against what the rule says they should be. */
@Injectable()
export class FindingsDriftRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One snapshot for a whole comparison: devices, findings and the queue as of one moment, so
   * a change committed meanwhile can never look like drift. Read only: repairs go through the queue.
   */
  snapshot<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      await m.query('SET TRANSACTION READ ONLY');
      return work(m);
    });
  }

  /** The next devices after `afterId`, in id order; `owed` when a recompute of the device is still queued. */
  async devicesAfter(m: EntityManager, afterId: string | null, limit: number): Promise<ReconciledDevice[]> {
    const rows: Array<{ id: string; model_id: string; firmware_version: string | null; status: string; owed: boolean }> = await m.query(
      `SELECT d.id, d.model_id, d.firmware_version, d.status,
              EXISTS (SELECT 1 FROM findings_recompute_queue q WHERE q.kind = 'device' AND q.target_id = d.id) AS owed
         FROM devices d
        WHERE ($1::uuid IS NULL OR d.id > $1::uuid)
        ORDER BY d.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      modelId: r.model_id,
      firmwareVersion: r.firmware_version,
      decommissioned: r.status === 'decommissioned',
      owed: r.owed,
    }));
  }

  /**
   * The devices of `deviceIds` whose stored findings, exposure-unknown rows or report summary
   * differ from `desired`. Advisories with a recompute still owed are left out: their findings
   * are behind by design, not by drift.
   */
  async drifted(m: EntityManager, deviceIds: string[], desired: Exposure[]): Promise<string[]> {
    if (!deviceIds.length) return [];
    const rows: Array<{ device_id: string }> = await m.query(
      `WITH scope AS (SELECT unnest($1::uuid[]) AS device_id),
            owed AS (SELECT target_id AS advisory_id FROM findings_recompute_queue WHERE kind = 'advisory'),
            wanted AS (
              SELECT w.* FROM unnest($2::uuid[], $3::uuid[], $4::varchar[], $5::varchar[], $6::varchar[]) AS w(device_id, advisory_id, kind, fixed_version, detail)
               WHERE w.advisory_id NOT IN (SELECT advisory_id FROM owed)),
            stored AS (
              SELECT f.device_id, f.advisory_id, 'open'::varchar AS kind, f.fixed_version, f.affected_versions AS detail
                FROM findings f JOIN scope s ON s.device_id = f.device_id
               WHERE f.status = 'open' AND f.advisory_id NOT IN (SELECT advisory_id FROM owed)
              UNION ALL
              SELECT u.device_id, u.advisory_id, 'unknown', NULL, u.reason
                FROM exposure_unknown u JOIN scope s ON s.device_id = u.device_id
               WHERE u.advisory_id NOT IN (SELECT advisory_id FROM owed)),
            differing AS (
              (SELECT * FROM wanted EXCEPT SELECT * FROM stored)
              UNION ALL
              (SELECT * FROM stored EXCEPT SELECT * FROM wanted)),
            summed AS (
              SELECT f.device_id, count(*)::int AS open_findings, COALESCE(max(a.cvss_score), -1) AS max_cvss,
                     max(${SEVERITY_RANK_SQL}) AS max_severity_rank, min(f.detected_at) AS first_detected_at
                FROM findings f JOIN scope s ON s.device_id = f.device_id JOIN advisories a ON a.id = f.advisory_id
               WHERE f.status = 'open' AND ${NOT_ACCEPTED_SQL}
               GROUP BY f.device_id),
            summary_off AS (
              SELECT s.device_id FROM scope s
                LEFT JOIN device_exposure e ON e.device_id = s.device_id
                LEFT JOIN summed g ON g.device_id = s.device_id
               WHERE ROW(e.open_findings, e.max_cvss, e.max_severity_rank, e.first_detected_at)
                     IS DISTINCT FROM ROW(g.open_findings, g.max_cvss, g.max_severity_rank, g.first_detected_at)
                 -- A score or severity revised by an owed advisory recompute is not drift yet.
                 AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.device_id = s.device_id AND f.status = 'open' AND f.advisory_id IN (SELECT advisory_id FROM owed))
                 -- Nor a summary written while an acceptance hid a finding, now run out: AcceptanceSweeper owes it, the one writer of expiries.
                 AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.device_id = s.device_id AND f.status = 'open' AND ${expiredUnsweptSql('f')}))
       SELECT device_id FROM differing UNION SELECT device_id FROM summary_off`,
      [
        deviceIds,
        desired.map((e) => e.deviceId),
        desired.map((e) => e.advisoryId),
        desired.map((e) => e.kind),
        desired.map((e) => (e.kind === 'open' ? e.fixedVersion : null)),
        desired.map((e) => (e.kind === 'open' ? e.versions : e.reason)),
      ],
    );
    return rows.map((r) => r.device_id);
  }
}
