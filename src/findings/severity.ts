export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** CVSS v3 qualitative rating scale. */
export function severityFromCvss(score: number | null | undefined): Severity {
  if (score === null || score === undefined) return 'unknown';
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/** For ordering: an unknown severity ranks with high, so it is never buried under low ones. */
export function severityRank(severity: Severity): number {
  return { none: 0, low: 1, medium: 2, unknown: 3, high: 3, critical: 4 }[severity];
}
