import { Automatable, Exploitation, HumanImpact, MissionImpact, SafetyImpact, SSVC_KEYS, SsvcPointKeys, SystemExposure } from './ssvc-decision-points';

export interface VectorInputs {
  exploitation: Exploitation;
  automatable: Automatable;
  systemExposure: SystemExposure;
  humanImpact: HumanImpact;
  safetyImpact: SafetyImpact;
  missionImpact: MissionImpact;
}

/**
 * SSVC's abbreviated vector string (SSVC v2 form): `SSVCv2/`, then `point:value` pairs of SSVC's
 * own keys sorted by the point's key, each closed by `/`. The four inputs of the deployer tree
 * and the two behind Human Impact, e.g. `SSVCv2/A:Y/E:A/EXP:O/HI:VH/MI:MF/SI:C/`. The optional
 * time is left out: the same inputs give the same string (the finding's `decisionSince` says when).
 */
export function ssvcVector(v: VectorInputs): string {
  const pairs: Array<[SsvcPointKeys<string>, string]> = [
    [SSVC_KEYS.exploitation, v.exploitation],
    [SSVC_KEYS.automatable, v.automatable],
    [SSVC_KEYS.systemExposure, v.systemExposure],
    [SSVC_KEYS.humanImpact, v.humanImpact],
    [SSVC_KEYS.safetyImpact, v.safetyImpact],
    [SSVC_KEYS.missionImpact, v.missionImpact],
  ];
  const parts = pairs.map(([point, value]) => `${point.key}:${point.values[value]}`).sort((a, b) => (a.split(':')[0] < b.split(':')[0] ? -1 : 1));
  return `SSVCv2/${parts.join('/')}/`;
}
