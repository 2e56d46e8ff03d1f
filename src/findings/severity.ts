export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityFromCvss(score: number | null | undefined): Severity {
  return score === null || score === undefined ? 'unknown' : cvssRating(score);
}

/** CVSS v3 qualitative rating scale. */
export function cvssRating(score: number): Exclude<Severity, 'unknown'> {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** For ordering: an unknown severity ranks with high, so it is never buried under low ones. */
const RANKS: Record<Severity, number> = { none: 0, low: 1, medium: 2, unknown: 3, high: 3, critical: 4 };

export function severityRank(severity: Severity): number {
  return RANKS[severity];
}

/** severityRank in SQL, of the advisory aliased `a`. */
export const SEVERITY_RANK_SQL = `CASE a.severity ${SEVERITIES.map((s) => `WHEN '${s}' THEN ${RANKS[s]}`).join(' ')} ELSE 0 END`;
