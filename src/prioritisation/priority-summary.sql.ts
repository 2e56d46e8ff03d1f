/**
 * The priority columns of a device's report summary (device_exposure), aggregated over its open
 * findings `f` that no risk acceptance hides now. One definition for the findings module, which
 * writes summaries as findings open and close, and for this one, which rewrites them as decisions move.
 */
export const NOT_ACCEPTED_SQL = `(f.accepted_until IS NULL OR f.accepted_until <= now())`;

export const PRIORITY_SUMMARY_COLUMNS = ['max_decision_rank', 'max_epss', 'in_kev', 'next_due_at'] as const;

export const PRIORITY_SUMMARY_SQL = `
  COALESCE(max(f.decision_rank) FILTER (WHERE ${NOT_ACCEPTED_SQL}), -1) AS max_decision_rank,
  COALESCE(max((f.priority ->> 'epss')::numeric) FILTER (WHERE ${NOT_ACCEPTED_SQL}), -1) AS max_epss,
  COALESCE(bool_or((f.priority ->> 'inKev')::boolean) FILTER (WHERE ${NOT_ACCEPTED_SQL}), false) AS in_kev,
  min(f.due_at) FILTER (WHERE ${NOT_ACCEPTED_SQL}) AS next_due_at`;
