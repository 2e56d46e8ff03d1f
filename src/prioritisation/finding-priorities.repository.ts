import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FINDINGS_LOCK } from '../database/findings-lock';
import { Automatable, Exploitation } from './ssvc-decision-points';
import { PriorityInputsChangedEvent } from './prioritisation.events';
import { PRIORITY_SUMMARY_SQL } from './priority-summary.sql';

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
  inKev: boolean;
  knownRansomware: boolean;
  epss: number | null;
  epssPercentile: number | null;
}

/** The decision matrix as SQL reads it: device inputs as stored ('' for null), the decision and the priority's fixed part. */
export interface MatrixRows {
  threatClass: number[];
  systemExposure: string[];
  safetyImpact: string[];
  missionImpact: string[];
  decision: string[];
  decisionRank: number[];
  fragment: string[];
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
   * Writes the priority of every open finding of the scope whose advisory is in `threats`: its
   * decision from the matrix row of its advisory's threat class and its device's stored inputs,
   * its due date from the policy, counted from when it reached that decision (kept while the
   * decision stays). Rows whose priority would not change are not written.
   */
  async apply(m: EntityManager, scope: PriorityScope, threats: AdvisoryThreat[], matrix: MatrixRows): Promise<AppliedPriorities> {
    if (!threats.length) return { touchedDeviceIds: [], decisionChangedDeviceIds: [] };
    const { sql, params } = scopeSql(scope, 14);
    const rows: Array<{ device_id: string; decision_changed: boolean }> = await m.query(
      `WITH adv AS (
              SELECT * FROM unnest($1::uuid[], $2::int[], $3::bool[], $4::bool[], $5::numeric[], $6::numeric[])
                AS a(advisory_id, threat_class, in_kev, known_ransomware, epss, epss_percentile)),
            matrix AS (
              SELECT * FROM unnest($7::int[], $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::smallint[], $13::jsonb[])
                AS x(threat_class, system_exposure, safety_impact, mission_impact, decision, decision_rank, fragment)),
            policy AS (SELECT due FROM remediation_policy WHERE id = 1),
            computed AS (
              SELECT f.id, f.decision AS old_decision, f.due_at AS old_due_at, x.decision, x.decision_rank,
                     CASE WHEN f.decision IS NOT DISTINCT FROM x.decision AND f.decision_since IS NOT NULL THEN f.decision_since ELSE now() END AS since,
                     x.fragment || jsonb_build_object('inKev', a.in_kev, 'knownRansomware', a.known_ransomware, 'epss', a.epss, 'epssPercentile', a.epss_percentile) AS partial
                FROM findings f
                JOIN adv a ON a.advisory_id = f.advisory_id
                JOIN devices d ON d.id = f.device_id
                JOIN device_models dm ON dm.id = d.model_id
                JOIN matrix x ON x.threat_class = a.threat_class
                             AND x.system_exposure = COALESCE(d.system_exposure, '')
                             AND x.safety_impact = COALESCE(d.safety_impact, dm.safety_impact, '')
                             AND x.mission_impact = COALESCE(d.mission_impact, '')
               WHERE f.status = 'open' AND ${sql}),
            dated AS (
              SELECT c.*, c.since + ((SELECT due FROM policy) ->> c.decision)::interval AS due_at FROM computed c),
            final AS (
              SELECT d.*, d.partial || jsonb_build_object('dueAt', to_char(d.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS priority FROM dated d),
            written AS (
              UPDATE findings f
                 SET decision = w.decision, decision_rank = w.decision_rank, decision_since = w.since, due_at = w.due_at, priority = w.priority
                FROM final w
               WHERE f.id = w.id AND (f.priority IS DISTINCT FROM w.priority OR f.decision_since IS DISTINCT FROM w.since)
              RETURNING f.device_id, (w.old_decision IS NOT NULL AND (w.old_decision IS DISTINCT FROM w.decision OR w.old_due_at IS DISTINCT FROM w.due_at)) AS decision_changed)
       SELECT device_id, bool_or(decision_changed) AS decision_changed FROM written GROUP BY device_id`,
      [
        threats.map((t) => t.advisoryId),
        threats.map((t) => t.threatClass),
        threats.map((t) => t.inKev),
        threats.map((t) => t.knownRansomware),
        threats.map((t) => t.epss),
        threats.map((t) => t.epssPercentile),
        matrix.threatClass,
        matrix.systemExposure,
        matrix.safetyImpact,
        matrix.missionImpact,
        matrix.decision,
        matrix.decisionRank,
        matrix.fragment,
        ...params,
      ],
    );
    return { touchedDeviceIds: rows.map((r) => r.device_id), decisionChangedDeviceIds: rows.filter((r) => r.decision_changed).map((r) => r.device_id) };
  }

  /** The priority columns of these devices' report summaries, from their findings as they are now. */
  async refreshSummaries(m: EntityManager, deviceIds: string[]): Promise<void> {
    if (!deviceIds.length) return;
    await m.query(
      `UPDATE device_exposure e
          SET max_decision_rank = s.max_decision_rank, max_epss = s.max_epss, in_kev = s.in_kev, next_due_at = s.next_due_at
         FROM (SELECT f.device_id, ${PRIORITY_SUMMARY_SQL}
                 FROM findings f WHERE f.status = 'open' AND f.device_id = ANY ($1::uuid[]) GROUP BY f.device_id) s
        WHERE e.device_id = s.device_id
          AND ROW(e.max_decision_rank, e.max_epss, e.in_kev, e.next_due_at) IS DISTINCT FROM ROW(s.max_decision_rank, s.max_epss, s.in_kev, s.next_due_at)`,
      [deviceIds],
    );
  }
}

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
