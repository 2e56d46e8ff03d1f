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

/**
 * For ordering and bucketing, each severity its own rank. Unknown sits just below high: it is
 * never buried under medium or low ones (it could be anything), yet never counted as high, so
 * the summary, the report and its ?severity filter say the same thing. A device's bucket is its
 * highest rank: high + unknown is high, medium + unknown is unknown.
 */
const RANKS: Record<Severity, number> = { none: 0, low: 1, medium: 2, unknown: 3, high: 4, critical: 5 };

export function severityRank(severity: Severity): number {
  return RANKS[severity];
}

/** The severity of a rank (the inverse of severityRank). */
export function severityOfRank(rank: number): Severity {
  return SEVERITIES.find((s) => RANKS[s] === rank) ?? 'unknown';
}

/** severityRank in SQL, of the advisory aliased `a`. */
export const SEVERITY_RANK_SQL = `CASE a.severity ${SEVERITIES.map((s) => `WHEN '${s}' THEN ${RANKS[s]}`).join(' ')} ELSE 0 END`;
