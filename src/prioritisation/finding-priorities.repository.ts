import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FINDINGS_LOCK } from '../database/findings-lock';
import { Automatable, Exploitation, MISSION_IMPACT, SAFETY_IMPACT, SYSTEM_EXPOSURE } from './ssvc-decision-points';
import { DEVICE_CLASSES } from './ssvc-decision';
import { PriorityInputsChangedEvent } from './prioritisation.events';
import { PRIORITY_SUMMARY_SQL, THREAT_JOIN_SQL } from './priority-summary.sql';

export type PriorityScope = PriorityInputsChangedEvent;

/** What the threat side of one advisory's decisions is made from. */
export interface AdvisoryEvidenceRow {
  advisoryId: string;
  inKev: boolean;
  knownRansomware: boolean;
  analystExploitation: Array<Exploitation | null>;
  analystAutomatable: Array<Automatable | null>;
  documentExploitation: Exploitation | null;
  cvssVector: string | null;
  epss: number | null;
  epssPercentile: number | null;
}

/** An advisory's resolved threat side: its row of the decision matrix and what the priority shows of the feeds. */
export interface AdvisoryThreat {
  advisoryId: string;
  threatClass: number;
  /** The resolved threat side as advisory_threats keeps it (stored-priority.ts threatKey). */
  threatKey: string;
  inKev: boolean;
  knownRansomware: boolean;
  epss: number | null;
  epssPercentile: number | null;
}

/**
 * The decision matrix as SQL reads it: cell `threatClass * DEVICE_CLASSES + deviceClassIndex`
 * (0-based; SQL arrays count from 1) holds the decision for that pair.
 */
export interface MatrixRows {
  decision: string[];
  decisionRank: number[];
}

export interface AppliedPriorities {
  /** Devices any of whose open findings got a new priority (its inputs, its decision or its due date). */
  touchedDeviceIds: string[];
  /** Devices a finding of which that had a decision already got another decision or due date. */
  decisionChangedDeviceIds: string[];
}

/** The SQL behind finding priorities: read the evidence of a scope, then write every decision in one statement. */
@Injectable()
export class FindingPrioritiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The same lock as findings recomputes: a decision and a finding of one device are never written by two transactions at once. */
  locked<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [FINDINGS_LOCK]);
      return work(m);
    });
  }

  /** Advisories with an open finding that has no decision yet (written before prioritisation, or a recompute that failed). */
  async advisoriesWithUndecidedFindings(limit: number): Promise<string[]> {
    const rows: Array<{ advisory_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT advisory_id FROM findings WHERE status = 'open' AND decision IS NULL LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.advisory_id);
  }

  /** Per advisory with an open finding in the scope: KEV, analysts', document's and EPSS's say on its CVEs. */
  async evidence(m: EntityManager, scope: PriorityScope): Promise<AdvisoryEvidenceRow[]> {
    const { sql, params } = scopeSql(scope, 1);
    const rows: Array<{
      id: string;
      in_kev: boolean;
      known_ransomware: boolean;
      analyst_exploitation: Array<Exploitation | null> | null;
      analyst_automatable: Array<Automatable | null> | null;
      exploitation: Exploitation | null;
      cvss_vector: string | null;
      epss: string | null;
      percentile: string | null;
    }> = await m.query(
      `SELECT a.id, a.exploitation, a.cvss_vector,
              EXISTS (SELECT 1 FROM kev_entries k WHERE k.cve = ANY (a.cves)) AS in_kev,
              EXISTS (SELECT 1 FROM kev_entries k WHERE k.cve = ANY (a.cves) AND k.known_ransomware) AS known_ransomware,
              (SELECT array_agg(v.exploitation) FROM vulnerability_assessments v WHERE v.cve = ANY (a.cves)) AS analyst_exploitation,
              (SELECT array_agg(v.automatable) FROM vulnerability_assessments v WHERE v.cve = ANY (a.cves)) AS analyst_automatable,
              e.epss, e.percentile
         FROM advisories a
         LEFT JOIN LATERAL (SELECT s.epss, s.percentile FROM epss_scores s WHERE s.cve = ANY (a.cves) ORDER BY s.epss DESC, s.percentile DESC LIMIT 1) e ON true
        WHERE a.id IN (SELECT f.advisory_id FROM findings f WHERE f.status = 'open' AND ${sql})`,
      params,
    );
    return rows.map((r) => ({
      advisoryId: r.id,
      inKev: r.in_kev,
      knownRansomware: r.known_ransomware,
      analystExploitation: r.analyst_exploitation ?? [],
      analystAutomatable: r.analyst_automatable ?? [],
      documentExploitation: r.exploitation,
      cvssVector: r.cvss_vector,
      epss: r.epss === null ? null : Number(r.epss),
      epssPercentile: r.percentile === null ? null : Number(r.percentile),
    }));
  }

  /**
   * Writes the decision of every open finding of the scope whose advisory is in `threats`: from
   * the matrix row of its advisory's threat class and its device's stored inputs, its due date
   * from the policy, counted from when it reached that decision (kept while the decision stays).
   * Each advisory's threat side and feed values go to advisory_threats (one row per advisory).
   * Only rows that change are written.
   *
   * A finding's cell of the decision matrix is arithmetic on its advisory's threat class and its
   * device's inputs (their positions in SSVC's value lists, 0 for unset), the decision an array
   * subscript: findings join only their advisory and device, by hash. The join with the matrix as
   * a relation that this replaces let the planner multiply devices by the matrix first and probe
   * findings per pair (4 million index probes for 36,000 findings; docs/prioritisation.md).
   */
  async apply(m: EntityManager, scope: PriorityScope, threats: AdvisoryThreat[], matrix: MatrixRows): Promise<AppliedPriorities> {
    if (!threats.length) return { touchedDeviceIds: [], decisionChangedDeviceIds: [] };
    const { sql, params } = scopeSql(scope, 13);
    const rows: Array<{ device_id: string; decision_changed: boolean }> = await m.query(
      `WITH adv AS MATERIALIZED (
              SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::bool[], $5::bool[], $6::numeric[], $7::numeric[])
                AS a(advisory_id, threat_class, threat_key, in_kev, known_ransomware, epss, epss_percentile)),
            threats AS (
              INSERT INTO advisory_threats (advisory_id, threat_key, in_kev, known_ransomware, epss, epss_percentile)
              SELECT advisory_id, threat_key, in_kev, known_ransomware, epss, epss_percentile FROM adv
              ON CONFLICT (advisory_id) DO UPDATE SET
                threat_key = EXCLUDED.threat_key, in_kev = EXCLUDED.in_kev, known_ransomware = EXCLUDED.known_ransomware,
                epss = EXCLUDED.epss, epss_percentile = EXCLUDED.epss_percentile
              WHERE (advisory_threats.*) IS DISTINCT FROM (EXCLUDED.*)),
            policy AS MATERIALIZED (SELECT due FROM remediation_policy WHERE id = 1),
            classed AS MATERIALIZED (
              SELECT f.id, f.device_id, f.decision, f.decision_since, f.due_at, f.device_class, ${DEVICE_CLASS_SQL} AS new_class,
                     a.threat_class * ${DEVICE_CLASSES} + COALESCE(array_position($8::varchar[], d.system_exposure), 0) * ${(SAFETY_IMPACT.length + 1) * (MISSION_IMPACT.length + 1)}
                       + COALESCE(array_position($9::varchar[], COALESCE(d.safety_impact, dm.safety_impact)), 0) * ${MISSION_IMPACT.length + 1}
                       + COALESCE(array_position($10::varchar[], d.mission_impact), 0) + 1 AS cell
                FROM findings f
                JOIN adv a ON a.advisory_id = f.advisory_id
                JOIN devices d ON d.id = f.device_id
                JOIN device_models dm ON dm.id = d.model_id
               WHERE f.status = 'open' AND ${sql}),
            computed AS (
              SELECT c.*, ($11::varchar[])[c.cell] AS new_decision, ($12::smallint[])[c.cell] AS new_rank,
                     CASE WHEN c.decision IS NOT DISTINCT FROM ($11::varchar[])[c.cell] AND c.decision_since IS NOT NULL THEN c.decision_since ELSE now() END AS since
                FROM classed c),
            dated AS (
              SELECT c.*, c.since + ((SELECT due FROM policy) ->> c.new_decision)::interval AS new_due_at FROM computed c),
            written AS (
              UPDATE findings f
                 SET decision = w.new_decision, decision_rank = w.new_rank, decision_since = w.since, due_at = w.new_due_at, device_class = w.new_class
                FROM dated w
               WHERE f.id = w.id
                 AND (w.decision IS DISTINCT FROM w.new_decision OR w.decision_since IS DISTINCT FROM w.since
                      OR w.due_at IS DISTINCT FROM w.new_due_at OR w.device_class IS DISTINCT FROM w.new_class)
              RETURNING f.device_id, (w.decision IS NOT NULL AND (w.decision IS DISTINCT FROM w.new_decision OR w.due_at IS DISTINCT FROM w.new_due_at)) AS decision_changed)
       SELECT device_id, bool_or(decision_changed) AS decision_changed FROM written GROUP BY device_id`,
      [
        threats.map((t) => t.advisoryId),
        threats.map((t) => t.threatClass),
        threats.map((t) => t.threatKey),
        threats.map((t) => t.inKev),
        threats.map((t) => t.knownRansomware),
        threats.map((t) => t.epss),
        threats.map((t) => t.epssPercentile),
        SYSTEM_EXPOSURE,
        SAFETY_IMPACT,
        MISSION_IMPACT,
        matrix.decision,
        matrix.decisionRank,
        ...params,
      ],
    );
    return { touchedDeviceIds: rows.map((r) => r.device_id), decisionChangedDeviceIds: rows.filter((r) => r.decision_changed).map((r) => r.device_id) };
  }

  /**
   * The priority columns of the report summaries of every device with an open finding in the
   * scope, from their findings as they are now, in one statement (scope all: every summary, no
   * list of ids); only summaries that change are written.
   */
  async refreshSummaries(m: EntityManager, scope: PriorityScope): Promise<void> {
    const { sql, params } = scopeSql(scope, 1);
    const devices = scope.scope === 'all' ? '' : `AND f.device_id IN (SELECT f.device_id FROM findings f WHERE f.status = 'open' AND ${sql})`;
    // Every advisory's row may have just been written (a first recompute, an upgrade): without
    // fresh statistics the planner takes advisory_threats for one row and scans it per finding.
    if (scope.scope === 'all') await m.query('ANALYZE advisory_threats');
    await m.query(
      `UPDATE device_exposure e
          SET max_decision_rank = s.max_decision_rank, max_epss = s.max_epss, in_kev = s.in_kev, next_due_at = s.next_due_at
         FROM (SELECT f.device_id, ${PRIORITY_SUMMARY_SQL}
                 FROM findings f ${THREAT_JOIN_SQL} WHERE f.status = 'open' ${devices} GROUP BY f.device_id) s
        WHERE e.device_id = s.device_id
          AND ROW(e.max_decision_rank, e.max_epss, e.in_kev, e.next_due_at) IS DISTINCT FROM ROW(s.max_decision_rank, s.max_epss, s.in_kev, s.next_due_at)`,
      params,
    );
  }
}

/** A device's SSVC inputs as one key ('' for a value nobody set) over devices `d` and models `dm`: stored-priority.ts deviceClassKey's twin. */
const DEVICE_CLASS_SQL = `COALESCE(d.system_exposure, '') || '|' || COALESCE(d.safety_impact, dm.safety_impact, '') || '|' || COALESCE(d.mission_impact, '')`;

/** The condition on findings `f` that selects a scope, with its parameter numbered `at`. */
function scopeSql(scope: PriorityScope, at: number): { sql: string; params: unknown[] } {
  switch (scope.scope) {
    case 'all':
      return { sql: 'true', params: [] };
    case 'devices':
      return { sql: `f.device_id = ANY ($${at}::uuid[])`, params: [scope.deviceIds] };
    case 'advisories':
      return { sql: `f.advisory_id = ANY ($${at}::uuid[])`, params: [scope.advisoryIds] };
    case 'models':
      return { sql: `f.device_id IN (SELECT id FROM devices WHERE model_id = ANY ($${at}::uuid[]))`, params: [scope.modelIds] };
    case 'cves':
      return { sql: `f.advisory_id IN (SELECT id FROM advisories WHERE cves && $${at}::text[])`, params: [scope.cves] };
  }
}
