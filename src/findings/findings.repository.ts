import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AffectedLine, DeviceUnderTest, Exposure, LineStatus } from './exposure-rules';
import { SEVERITY_RANK_SQL } from '../advisories/severity';
import { FINDINGS_LOCK } from '../database/findings-lock';
import {
  FINDING_DECISION_RANK_SQL,
  FINDING_DUE_AT_SQL,
  FINDING_EPSS_SQL,
  FINDING_IN_KEV_SQL,
  NOT_ACCEPTED_SQL,
  PRIORITY_JOIN_SQL,
  PRIORITY_SUMMARY_SQL,
} from '../prioritisation/priority-summary.sql';

/** The VEX statements of active advisories as lines (docs/vex-and-acceptance.md); '?' is the filter on x. */
const STATEMENT_LINES_SQL = `SELECT x.id, x.advisory_id, x.model_id, x.versions, NULL, x.status
         FROM advisory_product_statements x JOIN advisories a ON a.id = x.advisory_id
        WHERE ? AND a.status = 'active'`;

/**
 * The device facts the report summary groups by, copied onto each device_exposure row from
 * devices `d` where the row is written (migration 1764300031000 keeps them when a device
 * changes): the summary then reads device_exposure alone.
 */
const DEVICE_FACTS_COLUMNS = 'model_id, department, decommissioned';
const DEVICE_FACTS_SQL = `d.model_id, d.department, d.status = 'decommissioned'`;
const DEVICE_FACTS_SET = 'model_id = EXCLUDED.model_id, department = EXCLUDED.department, decommissioned = EXCLUDED.decommissioned';

export type Scope = { deviceIds: string[] } | { advisoryId: string };
export type Resolution = 'firmware_changed' | 'advisory_withdrawn' | 'advisory_revised' | 'device_decommissioned';

export interface DiffResult {
  opened: number;
  resolved: number;
  unknown: number;
  /** Devices that gained or lost an open finding. */
  changedDeviceIds: string[];
  /** Devices a finding of which, open before, got another decision or due date. */
  decisionChangedDeviceIds: string[];
}

/** The set-based SQL behind findings: load a scope, then apply the difference in a few statements. */
@Injectable()
export class FindingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** With a lock timeout, a drain blocked by another session's lock fails and is retried instead of holding the findings lock. */
  locked<T>(work: (m: EntityManager) => Promise<T>, lockTimeoutMs?: number): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      if (lockTimeoutMs) await m.query(`SELECT set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
      await m.query('SELECT pg_advisory_xact_lock($1)', [FINDINGS_LOCK]);
      return work(m);
    });
  }

  /** The given devices, decommissioned ones included (their findings must close). */
  async devicesByIds(m: EntityManager, deviceIds: string[]): Promise<Array<DeviceUnderTest & { decommissioned: boolean }>> {
    const rows: DeviceRow[] = await m.query(`SELECT id, model_id, firmware_version, status FROM devices WHERE id = ANY($1::uuid[])`, [deviceIds]);
    return rows.map((r) => ({ ...toDevice(r), decommissioned: r.status === 'decommissioned' }));
  }

  async liveDevicesOfModels(m: EntityManager, modelIds: string[]): Promise<DeviceUnderTest[]> {
    const rows: DeviceRow[] = await m.query(
      `SELECT id, model_id, firmware_version FROM devices WHERE model_id = ANY($1::uuid[]) AND status <> 'decommissioned'`,
      [modelIds],
    );
    return rows.map(toDevice);
  }

  /** In a fixed order: of two lines of one advisory that match, the rule keeps the first that names a fix. */
  async linesForModels(m: EntityManager, modelIds: string[]): Promise<AffectedLine[]> {
    const rows: LineRow[] = await m.query(
      `SELECT x.id, x.advisory_id, x.model_id, x.versions, x.fixed_version, 'affected' AS status
         FROM advisory_affected x JOIN advisories a ON a.id = x.advisory_id
        WHERE x.model_id = ANY($1::uuid[]) AND a.status = 'active'
       UNION ALL
       ${STATEMENT_LINES_SQL.replace('?', `x.model_id = ANY($1::uuid[])`)}
        ORDER BY status, id`,
      [modelIds],
    );
    return rows.map(toLine);
  }

  async linesForAdvisory(m: EntityManager, advisoryId: string): Promise<AffectedLine[]> {
    const rows: LineRow[] = await m.query(
      `SELECT x.id, x.advisory_id, x.model_id, x.versions, x.fixed_version, 'affected' AS status
         FROM advisory_affected x JOIN advisories a ON a.id = x.advisory_id
        WHERE x.advisory_id = $1 AND a.status = 'active'
       UNION ALL
       ${STATEMENT_LINES_SQL.replace('?', `x.advisory_id = $1`)}
        ORDER BY status, id`,
      [advisoryId],
    );
    return rows.map(toLine);
  }

  /**
   * Makes the stored findings of a scope equal to `desired`; returns what changed. `prioritise`
   * runs once the findings are open and before the summaries are written, so both carry the
   * new findings' priorities at the commit.
   */
  async applyDiff(
    m: EntityManager,
    scope: Scope,
    desired: Exposure[],
    resolution: Resolution,
    prioritise?: (m: EntityManager) => Promise<void>,
  ): Promise<DiffResult> {
    const open = desired.filter((e): e is Extract<Exposure, { kind: 'open' }> => e.kind === 'open');
    const unknown = desired.filter((e): e is Extract<Exposure, { kind: 'unknown' }> => e.kind === 'unknown');
    const scopeSql = 'deviceIds' in scope ? `device_id = ANY($1::uuid[])` : `advisory_id = $1::uuid`;
    const scopeParam = 'deviceIds' in scope ? scope.deviceIds : scope.advisoryId;
    // A new advisory (or one that exposed nothing until now): every finding it opens is new and
    // none closes, so nothing needs checking against existing rows and each device's summary
    // only gains this one advisory. On a 50,000-device fleet that saves 50,000 index probes and
    // an aggregate over every open finding of those devices.
    const firstExposure = 'advisoryId' in scope && !(await this.hasOpenFindings(m, scope.advisoryId));

    const resolved: Array<{ device_id: string }> = firstExposure
      ? []
      : await m.query(
          `WITH keep AS (SELECT * FROM unnest($2::uuid[], $3::uuid[]) AS k(device_id, advisory_id)),
                closed AS (
                  UPDATE findings f SET status = 'resolved', resolved_at = clock_timestamp(), resolution = $4
                   WHERE f.status = 'open' AND f.${scopeSql}
                     AND NOT EXISTS (SELECT 1 FROM keep k WHERE k.device_id = f.device_id AND k.advisory_id = f.advisory_id)
                  RETURNING f.device_id)
           SELECT device_id FROM closed`,
          [scopeParam, open.map((e) => e.deviceId), open.map((e) => e.advisoryId), resolution],
        );
    const openedDevices = await this.openFindings(m, open, { refresh: !firstExposure });
    if (prioritise) await prioritise(m);

    await m.query(
      `DELETE FROM exposure_unknown u
        WHERE u.${scopeSql}
          AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::uuid[]) AS k(device_id, advisory_id) WHERE k.device_id = u.device_id AND k.advisory_id = u.advisory_id)`,
      [scopeParam, unknown.map((e) => e.deviceId), unknown.map((e) => e.advisoryId)],
    );
    if (unknown.length) {
      await m.query(
        `INSERT INTO exposure_unknown (device_id, advisory_id, reason)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[])
         ON CONFLICT (device_id, advisory_id) DO UPDATE SET reason = EXCLUDED.reason`,
        [unknown.map((e) => e.deviceId), unknown.map((e) => e.advisoryId), unknown.map((e) => e.reason)],
      );
    }

    if (firstExposure) {
      await this.addAdvisoryToSummaries(m, scope.advisoryId);
    } else {
      const touched = [...new Set([...open.map((e) => e.deviceId), ...resolved.map((r) => r.device_id), ...('deviceIds' in scope ? scope.deviceIds : [])])];
      await this.refreshSummaries(m, touched);
    }
    return {
      opened: openedDevices.length,
      resolved: resolved.length,
      unknown: unknown.length,
      changedDeviceIds: [...new Set([...openedDevices, ...resolved.map((r) => r.device_id)])],
      decisionChangedDeviceIds: [],
    };
  }

  private async hasOpenFindings(m: EntityManager, advisoryId: string): Promise<boolean> {
    const [{ found }]: Array<{ found: boolean }> = await m.query(`SELECT EXISTS (SELECT 1 FROM findings WHERE advisory_id = $1 AND status = 'open') AS found`, [
      advisoryId,
    ]);
    return found;
  }

  /**
   * Inserts the open findings that are missing; with `refresh`, also brings the fix and range of
   * those already open up to date. Returns the device of each finding it inserted.
   */
  private async openFindings(m: EntityManager, open: Array<Extract<Exposure, { kind: 'open' }>>, o: { refresh: boolean }): Promise<string[]> {
    // Rows share few distinct (advisory, range, fix, firmware) terms: sending each term once and
    // an index per row keeps a 50,000-device advisory's parameters small to encode and parse.
    const terms = new TermTable();
    const rowTerms = open.map((e) => terms.indexOf(e.advisoryId, e.versions, e.fixedVersion, e.firmware));
    const refreshed = o.refresh
      ? `refreshed AS (
              UPDATE findings f SET fixed_version = w.fixed_version, affected_versions = w.versions
                FROM wanted w
               WHERE f.status = 'open' AND f.device_id = w.device_id AND f.advisory_id = w.advisory_id
                 AND (f.fixed_version IS DISTINCT FROM w.fixed_version OR f.affected_versions <> w.versions)
              RETURNING f.device_id),`
      : '';
    const inserted: Array<{ device_id: string }> = await m.query(
      `WITH terms AS (SELECT * FROM unnest($3::uuid[], $4::varchar[], $5::varchar[], $6::varchar[]) WITH ORDINALITY AS t(advisory_id, versions, fixed_version, firmware, n)),
            wanted AS (SELECT r.device_id, t.advisory_id, t.versions, t.fixed_version, t.firmware
                         FROM unnest($1::uuid[], $2::int[]) AS r(device_id, term) JOIN terms t ON t.n = r.term),
            ${refreshed}
            inserted AS (
              INSERT INTO findings (device_id, advisory_id, status, firmware_at_detection, fixed_version, affected_versions)
              SELECT w.device_id, w.advisory_id, 'open', w.firmware, w.fixed_version, w.versions FROM wanted w
              ON CONFLICT (device_id, advisory_id) WHERE status = 'open' DO NOTHING
              RETURNING device_id)
       SELECT device_id FROM inserted`,
      [open.map((e) => e.deviceId), rowTerms, terms.advisoryIds, terms.versions, terms.fixedVersions, terms.firmwares],
    );
    return inserted.map((r) => r.device_id);
  }

  /**
   * The summaries of the devices an advisory has just exposed for the first time: each gains one
   * open finding, this advisory's score and severity, and its detection time. The same result
   * as refreshSummaries, without aggregating the devices' other findings.
   */
  private async addAdvisoryToSummaries(m: EntityManager, advisoryId: string): Promise<void> {
    await m.query(
      `INSERT INTO device_exposure (device_id, open_findings, max_cvss, max_severity_rank, first_detected_at, max_decision_rank, max_epss, in_kev, next_due_at,
                                    ${DEVICE_FACTS_COLUMNS})
       SELECT f.device_id, 1, COALESCE(a.cvss_score, -1), ${SEVERITY_RANK_SQL}, f.detected_at,
              CASE WHEN ${NOT_ACCEPTED_SQL} THEN COALESCE(${FINDING_DECISION_RANK_SQL}, -1) ELSE -1 END,
              CASE WHEN ${NOT_ACCEPTED_SQL} THEN COALESCE(${FINDING_EPSS_SQL}, -1) ELSE -1 END,
              ${NOT_ACCEPTED_SQL} AND ${FINDING_IN_KEV_SQL},
              CASE WHEN ${NOT_ACCEPTED_SQL} THEN ${FINDING_DUE_AT_SQL} END,
              ${DEVICE_FACTS_SQL}
         FROM findings f JOIN advisories a ON a.id = f.advisory_id ${PRIORITY_JOIN_SQL} JOIN devices d ON d.id = f.device_id
        WHERE f.advisory_id = $1 AND f.status = 'open'
       ON CONFLICT (device_id) DO UPDATE SET
         ${DEVICE_FACTS_SET},
         open_findings = device_exposure.open_findings + 1,
         max_cvss = GREATEST(device_exposure.max_cvss, EXCLUDED.max_cvss),
         max_severity_rank = GREATEST(device_exposure.max_severity_rank, EXCLUDED.max_severity_rank),
         first_detected_at = LEAST(device_exposure.first_detected_at, EXCLUDED.first_detected_at),
         max_decision_rank = GREATEST(device_exposure.max_decision_rank, EXCLUDED.max_decision_rank),
         max_epss = GREATEST(device_exposure.max_epss, EXCLUDED.max_epss),
         in_kev = device_exposure.in_kev OR EXCLUDED.in_kev,
         next_due_at = LEAST(device_exposure.next_due_at, EXCLUDED.next_due_at)`,
      [advisoryId],
    );
  }

  /** The per-device summary the report pages over: open findings that no risk acceptance hides now. */
  async refreshSummaries(m: EntityManager, deviceIds: string[]): Promise<void> {
    if (!deviceIds.length) return;
    await m.query(
      `DELETE FROM device_exposure e WHERE e.device_id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM findings f WHERE f.device_id = e.device_id AND f.status = 'open' AND ${NOT_ACCEPTED_SQL})`,
      [deviceIds],
    );
    await m.query(
      `INSERT INTO device_exposure (device_id, open_findings, max_cvss, max_severity_rank, first_detected_at, max_decision_rank, max_epss, in_kev, next_due_at,
                                    ${DEVICE_FACTS_COLUMNS})
       SELECT f.device_id, count(*), COALESCE(max(a.cvss_score), -1), max(${SEVERITY_RANK_SQL}), min(f.detected_at), ${PRIORITY_SUMMARY_SQL},
              ${DEVICE_FACTS_SQL}
         FROM findings f JOIN advisories a ON a.id = f.advisory_id ${PRIORITY_JOIN_SQL} JOIN devices d ON d.id = f.device_id
        WHERE f.status = 'open' AND f.device_id = ANY($1::uuid[]) AND ${NOT_ACCEPTED_SQL}
        GROUP BY f.device_id, d.id
       ON CONFLICT (device_id) DO UPDATE SET
         ${DEVICE_FACTS_SET},
         open_findings = EXCLUDED.open_findings, max_cvss = EXCLUDED.max_cvss,
         max_severity_rank = EXCLUDED.max_severity_rank, first_detected_at = EXCLUDED.first_detected_at,
         max_decision_rank = EXCLUDED.max_decision_rank, max_epss = EXCLUDED.max_epss, in_kev = EXCLUDED.in_kev, next_due_at = EXCLUDED.next_due_at
       -- A firmware change inside the same advisories leaves the summary as it was: not rewriting
       -- it saves a row version and its index entries per device (npm run bench -- --only churn).
       -- The whole row, so a column added to the summary is compared too.
       WHERE (device_exposure.*) IS DISTINCT FROM (EXCLUDED.*)`,
      [deviceIds],
    );
  }
}

/** Distinct tuples, numbered from 1 (SQL's WITH ORDINALITY) in the order first seen. */
class TermTable {
  readonly advisoryIds: string[] = [];
  readonly versions: string[] = [];
  readonly fixedVersions: Array<string | null> = [];
  readonly firmwares: Array<string | null> = [];
  private readonly index = new Map<string, number>();

  indexOf(advisoryId: string, versions: string, fixedVersion: string | null, firmware: string | null): number {
    const key = JSON.stringify([advisoryId, versions, fixedVersion, firmware]);
    let n = this.index.get(key);
    if (n === undefined) {
      this.advisoryIds.push(advisoryId);
      this.versions.push(versions);
      this.fixedVersions.push(fixedVersion);
      this.firmwares.push(firmware);
      n = this.advisoryIds.length;
      this.index.set(key, n);
    }
    return n;
  }
}

type DeviceRow = { id: string; model_id: string; firmware_version: string | null; status?: string };

function toDevice(r: DeviceRow): DeviceUnderTest {
  return { id: r.id, modelId: r.model_id, firmwareVersion: r.firmware_version };
}

type LineRow = { advisory_id: string; model_id: string; versions: string; fixed_version: string | null; status: LineStatus };

function toLine(r: LineRow): AffectedLine {
  return { advisoryId: r.advisory_id, modelId: r.model_id, versions: r.versions, fixedVersion: r.fixed_version, status: r.status };
}
