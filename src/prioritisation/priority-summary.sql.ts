/**
 * The priority columns of a device's report summary (device_exposure), aggregated over its open
 * findings `f` that no risk acceptance hides now. One definition for the findings module, which
 * writes summaries as findings open and close, and for this one, which rewrites them as decisions move.
 */
export const NOT_ACCEPTED_SQL = `(f.accepted_until IS NULL OR f.accepted_until <= now())`;

export const PRIORITY_SUMMARY_COLUMNS = ['max_decision_rank', 'max_epss', 'in_kev', 'next_due_at'] as const;

/** Joins findings `f` to their advisory's threat side `t` (KEV, EPSS): what PRIORITY_SUMMARY_SQL and PRIORITY_READ_SQL read. */
export const THREAT_JOIN_SQL = `LEFT JOIN advisory_threats t ON t.advisory_id = f.advisory_id`;

/** The columns stored-priority.ts priorityOf makes a finding's priority from (with THREAT_JOIN_SQL). */
export const PRIORITY_READ_SQL = `f.decision, f.device_class, f.due_at, t.threat_key, t.in_kev, t.known_ransomware, t.epss, t.epss_percentile`;

/** A finding's EPSS and KEV as its priority shows them: none until it is decided. */
export const FINDING_EPSS_SQL = `CASE WHEN f.decision IS NOT NULL THEN t.epss END`;
export const FINDING_IN_KEV_SQL = `(f.decision IS NOT NULL AND COALESCE(t.in_kev, false))`;

const summarySql = (filter: string) => `
  COALESCE(max(f.decision_rank) ${filter}, -1) AS max_decision_rank,
  COALESCE(max(${FINDING_EPSS_SQL}) ${filter}, -1) AS max_epss,
  COALESCE(bool_or(${FINDING_IN_KEV_SQL}) ${filter}, false) AS in_kev,
  min(f.due_at) ${filter} AS next_due_at`;

export const PRIORITY_SUMMARY_SQL = summarySql(`FILTER (WHERE ${NOT_ACCEPTED_SQL})`);

/** The same over every open finding, accepted or not: the report's rows with ?includeAccepted=true. */
export const PRIORITY_SUMMARY_ALL_SQL = summarySql('');
