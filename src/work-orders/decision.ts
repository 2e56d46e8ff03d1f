/** SSVC deployer decisions, lowest first (their index is findings.decision_rank). */
export const DECISIONS = ['defer', 'scheduled', 'out_of_cycle', 'immediate'] as const;
export type Decision = (typeof DECISIONS)[number];

export function decisionRank(decision: Decision): number {
  return DECISIONS.indexOf(decision);
}

export function higherDecision(a: Decision, b: Decision): Decision {
  return decisionRank(a) >= decisionRank(b) ? a : b;
}

/** The remediation policy as work orders read it: due-date durations per decision, and the decisions that open an order by themselves. */
export interface RemediationPolicy {
  /** ISO 8601 duration per decision; null: no due date. */
  due: Partial<Record<Decision, string | null>>;
  autoOpenDecisions: Decision[];
}
