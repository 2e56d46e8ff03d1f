import { AssumedInput, DeviceInputs, resolveDeviceInputs, ThreatInputs } from './priority-inputs';
import {
  Automatable,
  AUTOMATABLE,
  Decision,
  decisionRank,
  EXPLOITATION,
  Exploitation,
  HumanImpact,
  MISSION_IMPACT,
  MissionImpact,
  SAFETY_IMPACT,
  SafetyImpact,
  SYSTEM_EXPOSURE,
  SystemExposure,
} from './ssvc-decision-points';
import { deployerDecision } from './ssvc-tables';
import { ssvcVector } from './ssvc-vector';

/** A finding's decision and the inputs it was made from, as its priority shows them. */
export interface SsvcDecision {
  decision: Decision;
  decisionRank: number;
  exploitation: Exploitation;
  automatable: Automatable;
  systemExposure: SystemExposure;
  safetyImpact: SafetyImpact;
  missionImpact: MissionImpact;
  humanImpact: HumanImpact;
  vector: string;
  assumed: AssumedInput[];
}

const ASSUMED_ORDER: AssumedInput[] = ['exploitation', 'automatable', 'systemExposure', 'safetyImpact', 'missionImpact'];

/** SSVC's deployer tree on resolved inputs. */
export function decide(threat: ThreatInputs, device: DeviceInputs): SsvcDecision {
  const decision = deployerDecision(threat.exploitation, device.systemExposure, threat.automatable, device.humanImpact);
  const assumed = new Set([...threat.assumed, ...device.assumed]);
  return {
    decision,
    decisionRank: decisionRank(decision),
    exploitation: threat.exploitation,
    automatable: threat.automatable,
    systemExposure: device.systemExposure,
    safetyImpact: device.safetyImpact,
    missionImpact: device.missionImpact,
    humanImpact: device.humanImpact,
    vector: ssvcVector({ ...threat, ...device }),
    assumed: ASSUMED_ORDER.filter((a) => assumed.has(a)),
  };
}

/** Every threat side a decision can have: each value, known or assumed where a default exists. */
export function threatClasses(): ThreatInputs[] {
  const classes: ThreatInputs[] = [];
  for (const exploitation of EXPLOITATION) {
    for (const automatable of AUTOMATABLE) {
      for (const exploitationAssumed of exploitation === 'none' ? [false, true] : [false]) {
        for (const automatableAssumed of automatable === 'yes' ? [false, true] : [false]) {
          const assumed: AssumedInput[] = [];
          if (exploitationAssumed) assumed.push('exploitation');
          if (automatableAssumed) assumed.push('automatable');
          classes.push({ exploitation, automatable, assumed });
        }
      }
    }
  }
  return classes;
}

/** A device's raw inputs as stored: null where nobody set one. */
export interface DeviceClass {
  systemExposure: SystemExposure | null;
  safetyImpact: SafetyImpact | null;
  missionImpact: MissionImpact | null;
}

/** How many device classes there are: unset or each value, of system exposure (4) x safety impact (5) x mission impact (5). */
export const DEVICE_CLASSES = (SYSTEM_EXPOSURE.length + 1) * (SAFETY_IMPACT.length + 1) * (MISSION_IMPACT.length + 1);

/** A device class's place in deviceClasses(): each input's position in its value list (0: unset), system exposure first. */
export function deviceClassIndex(c: DeviceClass): number {
  const pos = <T>(values: readonly T[], v: T | null) => (v === null ? 0 : values.indexOf(v) + 1);
  return (
    (pos(SYSTEM_EXPOSURE, c.systemExposure) * (SAFETY_IMPACT.length + 1) + pos(SAFETY_IMPACT, c.safetyImpact)) * (MISSION_IMPACT.length + 1) +
    pos(MISSION_IMPACT, c.missionImpact)
  );
}

export function deviceClasses(): DeviceClass[] {
  const classes: DeviceClass[] = [];
  for (const systemExposure of [null, ...SYSTEM_EXPOSURE])
    for (const safetyImpact of [null, ...SAFETY_IMPACT])
      for (const missionImpact of [null, ...MISSION_IMPACT]) classes.push({ systemExposure, safetyImpact, missionImpact });
  return classes;
}

/**
 * The decision for every pair of a threat class and a device class (12 x 100 rows): what the
 * set-based SQL joins each finding to, so that SQL decides nothing the pure rules do not.
 */
export function decisionMatrix(): Array<{ threat: ThreatInputs; device: DeviceClass; result: SsvcDecision }> {
  const devices = deviceClasses().map((device) => ({ device, inputs: resolveDeviceInputs(device) }));
  return threatClasses().flatMap((threat) => devices.map(({ device, inputs }) => ({ threat, device, result: decide(threat, inputs) })));
}
