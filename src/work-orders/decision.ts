import { Decision, decisionRank } from '../prioritisation/ssvc-decision-points';

// One list of decisions and their ranks: the prioritisation module's.
export { DECISIONS, decisionRank } from '../prioritisation/ssvc-decision-points';
export type { Decision } from '../prioritisation/ssvc-decision-points';

export function higherDecision(a: Decision, b: Decision): Decision {
  return decisionRank(a) >= decisionRank(b) ? a : b;
}

/** The remediation policy as work orders read it: due-date durations per decision, and the decisions that open an order by themselves. */
export interface RemediationPolicy {
  /** ISO 8601 duration per decision; null: no due date. */
  due: Partial<Record<Decision, string | null>>;
  autoOpenDecisions: Decision[];
}
