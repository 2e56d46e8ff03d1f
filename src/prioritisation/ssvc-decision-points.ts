/**
 * The SSVC decision points of the deployer tree, their values in the order SSVC lists them
 * (lowest first), and the short keys SSVC's own JSON gives each point and value (the letters of
 * the vector string). Keys and versions as in CERTCC/SSVC `data/` (test/fixtures/ssvc).
 */
export const EXPLOITATION = ['none', 'public_poc', 'active'] as const;
export const AUTOMATABLE = ['no', 'yes'] as const;
export const SYSTEM_EXPOSURE = ['small', 'controlled', 'open'] as const;
export const SAFETY_IMPACT = ['negligible', 'marginal', 'critical', 'catastrophic'] as const;
export const MISSION_IMPACT = ['degraded', 'mef_support_crippled', 'mef_failure', 'mission_failure'] as const;
export const HUMAN_IMPACT = ['low', 'medium', 'high', 'very_high'] as const;
/** In rank order: a decision's index here is its `decision_rank`. */
export const DECISIONS = ['defer', 'scheduled', 'out_of_cycle', 'immediate'] as const;

export type Exploitation = (typeof EXPLOITATION)[number];
export type Automatable = (typeof AUTOMATABLE)[number];
export type SystemExposure = (typeof SYSTEM_EXPOSURE)[number];
export type SafetyImpact = (typeof SAFETY_IMPACT)[number];
export type MissionImpact = (typeof MISSION_IMPACT)[number];
export type HumanImpact = (typeof HUMAN_IMPACT)[number];
export type Decision = (typeof DECISIONS)[number];

export function decisionRank(decision: Decision): number {
  return DECISIONS.indexOf(decision);
}

/** A decision point's key in SSVC's JSON (and vector string) and the key of each of its values. */
export interface SsvcPointKeys<V extends string> {
  key: string;
  version: string;
  values: Record<V, string>;
}

export const SSVC_KEYS = {
  exploitation: { key: 'E', version: '1.1.0', values: { none: 'N', public_poc: 'P', active: 'A' } } as SsvcPointKeys<Exploitation>,
  systemExposure: { key: 'EXP', version: '1.0.1', values: { small: 'S', controlled: 'C', open: 'O' } } as SsvcPointKeys<SystemExposure>,
  automatable: { key: 'A', version: '2.0.0', values: { no: 'N', yes: 'Y' } } as SsvcPointKeys<Automatable>,
  humanImpact: { key: 'HI', version: '2.0.2', values: { low: 'L', medium: 'M', high: 'H', very_high: 'VH' } } as SsvcPointKeys<HumanImpact>,
  safetyImpact: { key: 'SI', version: '2.0.1', values: { negligible: 'N', marginal: 'M', critical: 'R', catastrophic: 'C' } } as SsvcPointKeys<SafetyImpact>,
  missionImpact: {
    key: 'MI',
    version: '2.0.0',
    values: { degraded: 'D', mef_support_crippled: 'MSC', mef_failure: 'MEF', mission_failure: 'MF' },
  } as SsvcPointKeys<MissionImpact>,
  decision: { key: 'DSOI', version: '1.0.0', values: { defer: 'D', scheduled: 'S', out_of_cycle: 'O', immediate: 'I' } } as SsvcPointKeys<Decision>,
};
