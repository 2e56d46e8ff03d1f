import { isoInstantSql } from '../common/iso-instant-sql';

/**
 * THE rule of risk acceptance (docs/vex-and-acceptance.md, "When an acceptance ends"): finding `f`
 * is hidden exactly while the database's clock is before its accepted_until; from that instant on
 * it counts again, whether or not AcceptanceSweeper has cleared the column yet. Every reader of
 * findings applies it here, in SQL, on the database's clock: the service's clock may differ, and
 * the stored summaries (device_exposure) are written by the database's. Those summaries apply it
 * when written, so they go stale the instant an acceptance runs out: AcceptanceSweeper.sweep
 * rewrites them, and their readers call sweepIfDue first.
 */
export const acceptedNowSql = (f: string) => `(${f}.accepted_until > now())`;
export const notAcceptedSql = (f: string) => `(${f}.accepted_until IS NULL OR ${f}.accepted_until <= now())`;
/** Ran out and not swept yet: the findings whose devices' stored summaries are stale. */
export const expiredUnsweptSql = (f: string) => `(${f}.accepted_until IS NOT NULL AND ${f}.accepted_until <= now())`;

/**
 * The priority columns of a device's report summary (device_exposure), aggregated over its open
 * findings `f` that no risk acceptance hides now. One definition for the findings module, which
 * writes summaries as findings open and close, and for this one, which rewrites them as decisions move.
 */
export const NOT_ACCEPTED_SQL = notAcceptedSql('f');

export const PRIORITY_SUMMARY_COLUMNS = ['max_decision_rank', 'max_epss', 'in_kev', 'next_due_at'] as const;

/**
 * A finding's decision is not stored with it: it is its cell's, the row of `decision_cells` of its
 * advisory and its device class (docs/prioritisation.md, "How decisions are stored"). Joined as
 * `dc` to findings `f`; a finding not classed yet (no device_class) has none.
 */
export const DECISION_JOIN_SQL = `LEFT JOIN decision_cells dc ON dc.advisory_id = f.advisory_id AND dc.device_class = f.device_class`;

/**
 * When finding `f` reached its current decision (decision-since.ts decisionSince's twin): its
 * cell's change when the cell changed after the finding entered it, else what it held on entry
 * (carried_since when it entered with the decision it had before, else the entry itself).
 */
export const DECISION_SINCE_SQL = `(CASE WHEN dc.since <= f.class_since THEN COALESCE(f.carried_since, f.class_since) ELSE dc.since END)`;

/** Finding `f`'s decision, its rank, and its due date (none for a decision the policy gives no duration). */
export const FINDING_DECISION_SQL = `dc.decision`;
export const FINDING_DECISION_RANK_SQL = `dc.decision_rank`;
export const FINDING_DUE_AT_SQL = `(${DECISION_SINCE_SQL} + dc.due_interval)`;

/** Joins findings `f` to their advisory's threat side `t` (KEV, EPSS): one row of advisory_threats per advisory. */
const THREAT_JOIN_SQL = `LEFT JOIN advisory_threats t ON t.advisory_id = f.advisory_id`;

/** Joins findings `f` to their advisory's threat side `t` (KEV, EPSS) and their decision `dc`: what PRIORITY_SUMMARY_SQL and PRIORITY_READ_SQL read. */
export const PRIORITY_JOIN_SQL = `${THREAT_JOIN_SQL} ${DECISION_JOIN_SQL}`;

/**
 * DECISION_JOIN_SQL for a page of findings: each finding probes its own cell by the primary key.
 * Given a report page's few hundred findings the planner hashed every cell instead (23,997 at
 * 1,000 advisories: 27 ms of a 35 ms statement, issue 15); a lateral subquery with a LIMIT is not
 * flattened into the join, so it stays a probe per finding. Only for bounded pages: for a whole
 * export the hash is the cheaper plan.
 */
export const DECISION_PROBE_SQL = `LEFT JOIN LATERAL (
  SELECT c.decision, c.decision_rank, c.since, c.due_interval FROM decision_cells c
   WHERE c.advisory_id = f.advisory_id AND c.device_class = f.device_class LIMIT 1) dc ON true`;

/** PRIORITY_JOIN_SQL with DECISION_PROBE_SQL: for a page of findings. */
export const PRIORITY_PROBE_JOIN_SQL = `${THREAT_JOIN_SQL} ${DECISION_PROBE_SQL}`;

/** A finding's own side of its priority (stored-priority.ts FindingDecisionRow), from `f` and its cell `dc`. */
export const FINDING_DECISION_READ_SQL = `${FINDING_DECISION_SQL} AS decision, f.device_class, ${isoInstantSql(FINDING_DUE_AT_SQL)} AS due_at`;
/** Its advisory's side (stored-priority.ts AdvisoryThreatRow), from `advisory_threats t`: the same for every finding of the advisory. */
export const THREAT_READ_SQL = `t.threat_key, t.in_kev, t.known_ransomware, t.epss, t.epss_percentile`;
/** The columns stored-priority.ts priorityOf makes a finding's priority from (with PRIORITY_JOIN_SQL). */
export const PRIORITY_READ_SQL = `${FINDING_DECISION_READ_SQL}, ${THREAT_READ_SQL}`;

/** A finding's EPSS and KEV as its priority shows them: none until it is decided. */
export const FINDING_EPSS_SQL = `CASE WHEN ${FINDING_DECISION_SQL} IS NOT NULL THEN t.epss END`;
export const FINDING_IN_KEV_SQL = `(${FINDING_DECISION_SQL} IS NOT NULL AND COALESCE(t.in_kev, false))`;

const summarySql = (filter: string) => `
  COALESCE(max(${FINDING_DECISION_RANK_SQL}) ${filter}, -1) AS max_decision_rank,
  COALESCE(max(${FINDING_EPSS_SQL}) ${filter}, -1) AS max_epss,
  COALESCE(bool_or(${FINDING_IN_KEV_SQL}) ${filter}, false) AS in_kev,
  min(${FINDING_DUE_AT_SQL}) ${filter} AS next_due_at`;

export const PRIORITY_SUMMARY_SQL = summarySql(`FILTER (WHERE ${NOT_ACCEPTED_SQL})`);

/** The same over every open finding, accepted or not: the report's rows with ?includeAccepted=true. */
export const PRIORITY_SUMMARY_ALL_SQL = summarySql('');
