import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FINDINGS_LOCK } from '../database/findings-lock';
import { Automatable, Exploitation, MISSION_IMPACT, SAFETY_IMPACT, SYSTEM_EXPOSURE } from './ssvc-decision-points';
import { DEVICE_CLASSES } from './ssvc-decision';
import { PriorityInputsChangedEvent } from './prioritisation.events';
import { DECISION_JOIN_SQL, PRIORITY_JOIN_SQL, PRIORITY_SUMMARY_SQL } from './priority-summary.sql';

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
  /**
   * Devices any of whose open findings got a new priority (its inputs, its decision or its due
   * date, its advisory's feed values). Scope all lists only those a finding of which moved to
   * another class or got another decision or due date: it refreshes every summary anyway.
   */
  touchedDeviceIds: string[];
  /** Whether any device's summary may have to change. */
  summariesMoved: boolean;
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

  /**
   * Advisories with an open finding that has no decision yet: no class (written before
   * prioritisation, or a recompute that failed), or a class whose cell is missing (written by
   * hand or by a bulk load; the service writes a finding's class and its cell in one statement).
   */
  async advisoriesWithUndecidedFindings(limit: number): Promise<string[]> {
    const rows: Array<{ advisory_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT f.advisory_id FROM findings f ${DECISION_JOIN_SQL} WHERE f.status = 'open' AND dc.advisory_id IS NULL LIMIT $1`,
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
   * Decides every cell (advisory, device class) the open findings of the scope need, for the
   * advisories in `threats`: the decision from the matrix row of the advisory's threat class and
   * the class's inputs, the due interval from the policy. Only cells whose decision or interval
   * moves are written, and a cell's `since` moves only with its decision. Findings are written
   * only when their device's class changed (or they had none yet): they enter their new cell,
   * carrying the time they reached their decision when it stays (decision-since.ts enterCell).
   * Each advisory's threat side and feed values go to advisory_threats (one row per advisory).
   *
   * Everything is read from one snapshot: the old cells and the findings' old places are what
   * they were before this statement, which is what "the decision it had before" means.
   * A cell is arithmetic on its advisory's threat class and the device's inputs (their positions
   * in SSVC's value lists, 0 for unset), its decision an array subscript (docs/prioritisation.md).
   */
  async apply(m: EntityManager, scope: PriorityScope, threats: AdvisoryThreat[], matrix: MatrixRows): Promise<AppliedPriorities> {
    if (!threats.length) return { touchedDeviceIds: [], summariesMoved: false, decisionChangedDeviceIds: [] };
    const { sql, params } = scopeSql(scope, 13);
    const all = scope.scope === 'all';
    const rows: Array<{ device_id: string | null; decision_changed: boolean }> = await withSettings(m, BULK_SETTINGS, () =>
      m.query(
        `WITH adv AS MATERIALIZED (
              SELECT * FROM unnest($1::uuid[], $2::int[], $3::varchar[], $4::bool[], $5::bool[], $6::numeric[], $7::numeric[])
                AS a(advisory_id, threat_class, threat_key, in_kev, known_ransomware, epss, epss_percentile)),
            threats AS (
              INSERT INTO advisory_threats (advisory_id, threat_key, in_kev, known_ransomware, epss, epss_percentile)
              SELECT advisory_id, threat_key, in_kev, known_ransomware, epss, epss_percentile FROM adv
              ON CONFLICT (advisory_id) DO UPDATE SET
                threat_key = EXCLUDED.threat_key, in_kev = EXCLUDED.in_kev, known_ransomware = EXCLUDED.known_ransomware,
                epss = EXCLUDED.epss, epss_percentile = EXCLUDED.epss_percentile
              WHERE (advisory_threats.*) IS DISTINCT FROM (EXCLUDED.*)
              RETURNING advisory_id),
            policy AS MATERIALIZED (SELECT due FROM remediation_policy WHERE id = 1),
            -- A device's class and its place in the matrix, once per device rather than per finding.
            dev AS MATERIALIZED (
              SELECT d.id, ${DEVICE_CLASS_SQL} AS new_class,
                     COALESCE(array_position($8::varchar[], d.system_exposure), 0) * ${(SAFETY_IMPACT.length + 1) * (MISSION_IMPACT.length + 1)}
                       + COALESCE(array_position($9::varchar[], COALESCE(d.safety_impact, dm.safety_impact)), 0) * ${MISSION_IMPACT.length + 1}
                       + COALESCE(array_position($10::varchar[], d.mission_impact), 0) + 1 AS class_cell
                FROM devices d JOIN device_models dm ON dm.id = d.model_id
               WHERE ${scope.scope === 'all' ? 'true' : `d.id IN (SELECT f.device_id FROM findings f WHERE f.status = 'open' AND ${sql})`}),
            classed AS MATERIALIZED (
              SELECT f.id, f.device_id, f.advisory_id, f.device_class AS old_class, v.new_class, a.threat_class * ${DEVICE_CLASSES} + v.class_cell AS cell
                FROM findings f
                JOIN adv a ON a.advisory_id = f.advisory_id
                JOIN dev v ON v.id = f.device_id
               WHERE f.status = 'open' AND ${sql}),
            wanted AS (
              SELECT w.advisory_id, w.device_class, ($11::varchar[])[w.cell] AS decision, ($12::smallint[])[w.cell] AS decision_rank,
                     ((SELECT due FROM policy) ->> ($11::varchar[])[w.cell])::interval AS due_interval
                FROM (SELECT advisory_id, new_class AS device_class, min(cell) AS cell FROM classed GROUP BY advisory_id, new_class) w),
            cells AS MATERIALIZED (
              SELECT w.*, o.decision AS old_decision, o.since AS old_since,
                     (o.decision IS DISTINCT FROM w.decision OR o.due_interval IS DISTINCT FROM w.due_interval) AS moves,
                     -- A finding that stays in a cell that moves had a decision before only if the cell existed.
                     (o.decision IS NOT NULL AND (o.decision IS DISTINCT FROM w.decision OR o.due_interval IS DISTINCT FROM w.due_interval)) AS decision_moves
                FROM wanted w LEFT JOIN decision_cells o ON o.advisory_id = w.advisory_id AND o.device_class = w.device_class),
            upserted AS (
              INSERT INTO decision_cells (advisory_id, device_class, decision, decision_rank, since, due_interval)
              SELECT advisory_id, device_class, decision, decision_rank, CASE WHEN old_decision = decision THEN old_since ELSE now() END, due_interval
                FROM cells WHERE moves
              ON CONFLICT (advisory_id, device_class) DO UPDATE SET
                decision = EXCLUDED.decision, decision_rank = EXCLUDED.decision_rank, since = EXCLUDED.since, due_interval = EXCLUDED.due_interval),
            -- Findings whose device's class changed (or that had none) enter their new cell; the
            -- old cell and the finding's old place are read before this statement's writes.
            movers AS MATERIALIZED (
              SELECT c.id, c.new_class, o.decision AS old_decision, o.since AS old_since, o.due_interval AS old_interval,
                     w.decision AS new_decision, w.due_interval AS new_interval
                FROM classed c
                JOIN cells w ON w.advisory_id = c.advisory_id AND w.device_class = c.new_class
                LEFT JOIN decision_cells o ON o.advisory_id = c.advisory_id AND o.device_class = c.old_class
               WHERE c.old_class IS DISTINCT FROM c.new_class),
            entered AS (
              UPDATE findings f
                 SET device_class = x.new_class, class_since = now(),
                     carried_since = CASE WHEN x.old_decision = x.new_decision THEN ${sinceSql('x.old_since', 'f')} END
                FROM movers x
               -- By the primary key: usually none or a few move, and a join would read every finding.
               WHERE f.id = ANY (ARRAY(SELECT id FROM movers)) AND f.id = x.id
              RETURNING f.device_id,
                        -- Carried with the same decision, its due date moves only with the interval.
                        (x.old_decision IS NOT NULL AND (x.old_decision <> x.new_decision OR x.old_interval IS DISTINCT FROM x.new_interval)) AS decision_changed),
            stayed AS (
              SELECT c.device_id, bool_or(w.decision_moves) AS decision_changed
                FROM classed c
                JOIN (SELECT advisory_id, device_class, decision_moves FROM cells WHERE ${all ? 'decision_moves' : 'moves'}) w
                  ON w.advisory_id = c.advisory_id AND w.device_class = c.new_class
               WHERE c.old_class = c.new_class
               GROUP BY c.device_id),
            fed AS (
              SELECT DISTINCT c.device_id, false AS decision_changed FROM classed c
               WHERE ${all ? 'false' : 'true'} AND c.advisory_id IN (SELECT advisory_id FROM threats))
       SELECT device_id, bool_or(decision_changed) AS decision_changed
         FROM (SELECT * FROM entered UNION ALL SELECT * FROM stayed UNION ALL SELECT * FROM fed) x
        GROUP BY device_id
       UNION ALL
       -- Scope all refreshes every summary (writing those that change): it needs to know only whether anything moved.
       SELECT NULL, false WHERE ${all} AND (EXISTS (SELECT 1 FROM cells WHERE moves) OR EXISTS (SELECT 1 FROM threats))`,
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
      ),
    );
    const devices = rows.filter((r): r is { device_id: string; decision_changed: boolean } => r.device_id !== null);
    return {
      touchedDeviceIds: devices.map((r) => r.device_id),
      summariesMoved: rows.length > 0,
      decisionChangedDeviceIds: devices.filter((r) => r.decision_changed).map((r) => r.device_id),
    };
  }

  /**
   * The priority columns of the report summaries of these devices (those whose findings' priority
   * moved; 'all' for every device), from their findings as they are now, in one statement; only
   * summaries that change are written.
   */
  async refreshSummaries(m: EntityManager, deviceIds: string[] | 'all', o: { analyze: boolean }): Promise<void> {
    if (!deviceIds.length) return;
    // Every device: no list of ids to send, parse and hash.
    const devices = deviceIds === 'all' ? '' : `AND f.device_id IN (SELECT unnest($1::uuid[]))`;
    // Every cell and advisory row may have just been written (a first recompute, an upgrade):
    // without fresh statistics the planner takes them for one row and probes them per finding.
    if (o.analyze) await m.query('ANALYZE advisory_threats, decision_cells');
    await withSettings(m, BULK_SETTINGS, () =>
      m.query(
        `UPDATE device_exposure e
          SET max_decision_rank = s.max_decision_rank, max_epss = s.max_epss, in_kev = s.in_kev, next_due_at = s.next_due_at
         FROM (SELECT f.device_id, ${PRIORITY_SUMMARY_SQL}
                 FROM findings f ${PRIORITY_JOIN_SQL}
                WHERE f.status = 'open' ${devices} GROUP BY f.device_id) s
        WHERE e.device_id = s.device_id
          AND ROW(e.max_decision_rank, e.max_epss, e.in_kev, e.next_due_at) IS DISTINCT FROM ROW(s.max_decision_rank, s.max_epss, s.in_kev, s.next_due_at)`,
        deviceIds === 'all' ? [] : [deviceIds],
      ),
    );
  }
}

/**
 * For the statements over every finding of a scope: its findings are hashed a few times over (by
 * cell, by device), in memory rather than in temporary files, never sorted for a merge join
 * (estimates on CTEs are guesses; a sort of half a million rows cost more than the hashing), and
 * without JIT compilation (half a second per statement for a plan run once).
 */
const BULK_SETTINGS = { work_mem: '64MB', enable_mergejoin: 'off', jit: 'off' };

/** Runs `work` with these settings, then puts back what the transaction had (the findings module's statements follow in it). */
async function withSettings<T>(m: EntityManager, settings: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const names = Object.keys(settings);
  const [before]: Array<Record<string, string>> = await m.query(`SELECT ${names.map((n, i) => `current_setting($${i + 1}) AS ${n}`).join(', ')}`, names);
  const set = (values: Record<string, string>) =>
    m.query(
      `SELECT ${names.map((n, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      names.flatMap((n) => [n, values[n]]),
    );
  await set(settings);
  // After a failure the transaction is aborted, and its settings go with it.
  const result = await work();
  await set(before);
  return result;
}

/** DECISION_SINCE_SQL over a cell's `since` and a finding's place aliased `place` (class_since, carried_since). */
const sinceSql = (cellSince: string, place: string) =>
  `(CASE WHEN ${cellSince} <= ${place}.class_since THEN COALESCE(${place}.carried_since, ${place}.class_since) ELSE ${cellSince} END)`;

/** A device's SSVC inputs as one key ('' for a value nobody set) over devices `d` and models `dm`: stored-priority.ts deviceClassKey's twin. */
export const DEVICE_CLASS_SQL = `COALESCE(d.system_exposure, '') || '|' || COALESCE(d.safety_impact, dm.safety_impact, '') || '|' || COALESCE(d.mission_impact, '')`;

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
