import { addIsoDuration } from '../common/iso-duration';
import { Decision, RemediationPolicy } from './decision';

/** What a work order needs of an open finding to know how urgent it is. */
export interface FindingUrgency {
  /** The SSVC decision the prioritisation module computed; null until it has. */
  decision: Decision | null;
  dueAt: Date | null;
  /** The advisory's severity: the fallback's only input. */
  severity: string;
  detectedAt: Date;
}

export interface EffectiveDecision {
  decision: Decision;
  dueAt: Date | null;
}

/**
 * The finding's decision and due date. While no SSVC decision has been computed for it (the
 * prioritisation module is not there yet, or has not reached this finding), the fallback stands
 * in: the advisory's severity, and a due date counted from detection by the policy.
 */
export function effectiveDecision(finding: FindingUrgency, policy: RemediationPolicy): EffectiveDecision {
  if (finding.decision) return { decision: finding.decision, dueAt: finding.dueAt };
  return severityFallback(finding, policy);
}

const BY_SEVERITY: Record<string, Decision> = { critical: 'immediate', high: 'out_of_cycle', medium: 'scheduled' };

/**
 * Severity stands in for the SSVC decision: critical -> immediate, high -> out_of_cycle,
 * medium -> scheduled, anything else (low, none, unknown) -> defer. Unknown defers rather than
 * guessing: the SSVC decision, once computed, replaces this with what the inputs support.
 */
export function severityFallback(finding: Pick<FindingUrgency, 'severity' | 'detectedAt'>, policy: RemediationPolicy): EffectiveDecision {
  const decision = BY_SEVERITY[finding.severity] ?? 'defer';
  const duration = policy.due[decision];
  return { decision, dueAt: duration ? addIsoDuration(finding.detectedAt, duration) : null };
}
