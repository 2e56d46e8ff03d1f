import type { Automatable, Decision, Exploitation, HumanImpact, MissionImpact, SafetyImpact, SystemExposure } from './ssvc-decision-points';

/**
 * SSVC's deployer patch-application priority table, DT_DP 1.0.0, row for row as CERTCC/SSVC
 * publishes it (deployer_patch_application_priority_1_0_0.csv): Exploitation x System Exposure x
 * Automatable x Human Impact -> decision. The only copy in the service: the SQL that stores
 * decisions is fed from here, and a unit test compares it with the published CSV.
 */
export const DEPLOYER_TABLE: ReadonlyArray<readonly [Exploitation, SystemExposure, Automatable, HumanImpact, Decision]> = [
  ['none', 'small', 'no', 'low', 'defer'],
  ['none', 'small', 'no', 'medium', 'defer'],
  ['none', 'small', 'no', 'high', 'scheduled'],
  ['none', 'small', 'no', 'very_high', 'scheduled'],
  ['none', 'small', 'yes', 'low', 'defer'],
  ['none', 'small', 'yes', 'medium', 'scheduled'],
  ['none', 'small', 'yes', 'high', 'scheduled'],
  ['none', 'small', 'yes', 'very_high', 'scheduled'],
  ['none', 'controlled', 'no', 'low', 'defer'],
  ['none', 'controlled', 'no', 'medium', 'scheduled'],
  ['none', 'controlled', 'no', 'high', 'scheduled'],
  ['none', 'controlled', 'no', 'very_high', 'scheduled'],
  ['none', 'controlled', 'yes', 'low', 'scheduled'],
  ['none', 'controlled', 'yes', 'medium', 'scheduled'],
  ['none', 'controlled', 'yes', 'high', 'scheduled'],
  ['none', 'controlled', 'yes', 'very_high', 'scheduled'],
  ['none', 'open', 'no', 'low', 'defer'],
  ['none', 'open', 'no', 'medium', 'scheduled'],
  ['none', 'open', 'no', 'high', 'scheduled'],
  ['none', 'open', 'no', 'very_high', 'scheduled'],
  ['none', 'open', 'yes', 'low', 'scheduled'],
  ['none', 'open', 'yes', 'medium', 'scheduled'],
  ['none', 'open', 'yes', 'high', 'scheduled'],
  ['none', 'open', 'yes', 'very_high', 'out_of_cycle'],
  ['public_poc', 'small', 'no', 'low', 'defer'],
  ['public_poc', 'small', 'no', 'medium', 'scheduled'],
  ['public_poc', 'small', 'no', 'high', 'scheduled'],
  ['public_poc', 'small', 'no', 'very_high', 'scheduled'],
  ['public_poc', 'small', 'yes', 'low', 'scheduled'],
  ['public_poc', 'small', 'yes', 'medium', 'scheduled'],
  ['public_poc', 'small', 'yes', 'high', 'scheduled'],
  ['public_poc', 'small', 'yes', 'very_high', 'scheduled'],
  ['public_poc', 'controlled', 'no', 'low', 'defer'],
  ['public_poc', 'controlled', 'no', 'medium', 'scheduled'],
  ['public_poc', 'controlled', 'no', 'high', 'scheduled'],
  ['public_poc', 'controlled', 'no', 'very_high', 'scheduled'],
  ['public_poc', 'controlled', 'yes', 'low', 'scheduled'],
  ['public_poc', 'controlled', 'yes', 'medium', 'scheduled'],
  ['public_poc', 'controlled', 'yes', 'high', 'scheduled'],
  ['public_poc', 'controlled', 'yes', 'very_high', 'out_of_cycle'],
  ['public_poc', 'open', 'no', 'low', 'scheduled'],
  ['public_poc', 'open', 'no', 'medium', 'scheduled'],
  ['public_poc', 'open', 'no', 'high', 'scheduled'],
  ['public_poc', 'open', 'no', 'very_high', 'out_of_cycle'],
  ['public_poc', 'open', 'yes', 'low', 'scheduled'],
  ['public_poc', 'open', 'yes', 'medium', 'scheduled'],
  ['public_poc', 'open', 'yes', 'high', 'out_of_cycle'],
  ['public_poc', 'open', 'yes', 'very_high', 'out_of_cycle'],
  ['active', 'small', 'no', 'low', 'scheduled'],
  ['active', 'small', 'no', 'medium', 'scheduled'],
  ['active', 'small', 'no', 'high', 'out_of_cycle'],
  ['active', 'small', 'no', 'very_high', 'out_of_cycle'],
  ['active', 'small', 'yes', 'low', 'scheduled'],
  ['active', 'small', 'yes', 'medium', 'out_of_cycle'],
  ['active', 'small', 'yes', 'high', 'out_of_cycle'],
  ['active', 'small', 'yes', 'very_high', 'out_of_cycle'],
  ['active', 'controlled', 'no', 'low', 'scheduled'],
  ['active', 'controlled', 'no', 'medium', 'scheduled'],
  ['active', 'controlled', 'no', 'high', 'out_of_cycle'],
  ['active', 'controlled', 'no', 'very_high', 'out_of_cycle'],
  ['active', 'controlled', 'yes', 'low', 'out_of_cycle'],
  ['active', 'controlled', 'yes', 'medium', 'out_of_cycle'],
  ['active', 'controlled', 'yes', 'high', 'out_of_cycle'],
  ['active', 'controlled', 'yes', 'very_high', 'out_of_cycle'],
  ['active', 'open', 'no', 'low', 'scheduled'],
  ['active', 'open', 'no', 'medium', 'out_of_cycle'],
  ['active', 'open', 'no', 'high', 'out_of_cycle'],
  ['active', 'open', 'no', 'very_high', 'immediate'],
  ['active', 'open', 'yes', 'low', 'out_of_cycle'],
  ['active', 'open', 'yes', 'medium', 'out_of_cycle'],
  ['active', 'open', 'yes', 'high', 'immediate'],
  ['active', 'open', 'yes', 'very_high', 'immediate'],
];

/**
 * SSVC's human impact table (human_impact_1_0_0.csv): Safety Impact x Mission Impact -> Human
 * Impact. The textual definitions in the Human Impact 2.0.2 decision point disagree with this
 * table on several rows; the table is what the deployer tree is built on (docs/prioritisation.md).
 */
export const HUMAN_IMPACT_TABLE: ReadonlyArray<readonly [SafetyImpact, MissionImpact, HumanImpact]> = [
  ['negligible', 'degraded', 'low'],
  ['negligible', 'mef_support_crippled', 'low'],
  ['negligible', 'mef_failure', 'medium'],
  ['negligible', 'mission_failure', 'very_high'],
  ['marginal', 'degraded', 'low'],
  ['marginal', 'mef_support_crippled', 'low'],
  ['marginal', 'mef_failure', 'medium'],
  ['marginal', 'mission_failure', 'very_high'],
  ['critical', 'degraded', 'medium'],
  ['critical', 'mef_support_crippled', 'high'],
  ['critical', 'mef_failure', 'high'],
  ['critical', 'mission_failure', 'very_high'],
  ['catastrophic', 'degraded', 'very_high'],
  ['catastrophic', 'mef_support_crippled', 'very_high'],
  ['catastrophic', 'mef_failure', 'very_high'],
  ['catastrophic', 'mission_failure', 'very_high'],
];

const deployerIndex = new Map(DEPLOYER_TABLE.map(([e, x, a, h, d]) => [`${e}|${x}|${a}|${h}`, d]));
const humanIndex = new Map(HUMAN_IMPACT_TABLE.map(([s, m, h]) => [`${s}|${m}`, h]));

export function deployerDecision(exploitation: Exploitation, exposure: SystemExposure, automatable: Automatable, humanImpact: HumanImpact): Decision {
  const decision = deployerIndex.get(`${exploitation}|${exposure}|${automatable}|${humanImpact}`);
  if (!decision) throw new Error(`no SSVC deployer row for ${exploitation}/${exposure}/${automatable}/${humanImpact}`);
  return decision;
}

export function humanImpactOf(safety: SafetyImpact, mission: MissionImpact): HumanImpact {
  const impact = humanIndex.get(`${safety}|${mission}`);
  if (!impact) throw new Error(`no SSVC human impact row for ${safety}/${mission}`);
  return impact;
}
