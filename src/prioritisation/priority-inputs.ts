import { automatableFromCvss } from './cvss-automatable';
import { humanImpactOf } from './ssvc-tables';
import { AUTOMATABLE, Automatable, EXPLOITATION, Exploitation, HumanImpact, MissionImpact, SafetyImpact, SystemExposure } from './ssvc-decision-points';

/** The inputs a decision may be made with although nobody set them; named in a priority's `assumed`. */
export type AssumedInput = 'exploitation' | 'automatable' | 'systemExposure' | 'safetyImpact' | 'missionImpact';

/**
 * What a decision takes when nobody said (docs/prioritisation.md). Exploitation "none" is SSVC's
 * own reading of no evidence (and the rule); the others are each point's worst value, so
 * that a device nobody has described is never patched later than one described as critical.
 */
export const DEFAULTS = {
  exploitation: 'none',
  automatable: 'yes',
  systemExposure: 'open',
  safetyImpact: 'catastrophic',
  missionImpact: 'mission_failure',
} as const satisfies {
  exploitation: Exploitation;
  automatable: Automatable;
  systemExposure: SystemExposure;
  safetyImpact: SafetyImpact;
  missionImpact: MissionImpact;
};

/** What is known of an advisory's vulnerabilities, over all of its CVEs. */
export interface ThreatEvidence {
  /** Any of its CVEs is in CISA's KEV catalog. */
  inKev: boolean;
  /** The analysts' exploitation values of its CVEs (vulnerability_assessments). */
  analystExploitation: Array<Exploitation | null>;
  /** What the advisory's own document says (CSAF threats, category exploit_status). */
  documentExploitation: Exploitation | null;
  analystAutomatable: Array<Automatable | null>;
  cvssVector: string | null;
}

export interface ThreatInputs {
  exploitation: Exploitation;
  automatable: Automatable;
  assumed: AssumedInput[];
}

/**
 * Exploitation: active when KEV lists any CVE; else the highest an analyst set over the CVEs;
 * else the document's; else none (assumed). Automatable: the highest an analyst set; else from
 * the CVSS vector; else yes (assumed).
 */
export function resolveThreatInputs(e: ThreatEvidence): ThreatInputs {
  const assumed: AssumedInput[] = [];
  let exploitation: Exploitation | null = e.inKev ? 'active' : highest(EXPLOITATION, e.analystExploitation);
  exploitation ??= e.documentExploitation;
  if (exploitation === null) {
    exploitation = DEFAULTS.exploitation;
    assumed.push('exploitation');
  }
  let automatable: Automatable | null = highest(AUTOMATABLE, e.analystAutomatable) ?? automatableFromCvss(e.cvssVector);
  if (automatable === null) {
    automatable = DEFAULTS.automatable;
    assumed.push('automatable');
  }
  return { exploitation, automatable, assumed };
}

/** A device's own inputs: its exposure and mission impact, its safety impact or else its model's. */
export interface DeviceEvidence {
  systemExposure: SystemExposure | null;
  /** The device's override, else its model's value. */
  safetyImpact: SafetyImpact | null;
  missionImpact: MissionImpact | null;
}

export interface DeviceInputs {
  systemExposure: SystemExposure;
  safetyImpact: SafetyImpact;
  missionImpact: MissionImpact;
  humanImpact: HumanImpact;
  assumed: AssumedInput[];
}

export function resolveDeviceInputs(d: DeviceEvidence): DeviceInputs {
  const assumed: AssumedInput[] = [];
  const pick = <K extends keyof DeviceEvidence>(key: K): NonNullable<DeviceEvidence[K]> => {
    const value = d[key];
    if (value !== null) return value as NonNullable<DeviceEvidence[K]>;
    assumed.push(key);
    return DEFAULTS[key] as NonNullable<DeviceEvidence[K]>;
  };
  const systemExposure = pick('systemExposure');
  const safetyImpact = pick('safetyImpact');
  const missionImpact = pick('missionImpact');
  return { systemExposure, safetyImpact, missionImpact, humanImpact: humanImpactOf(safetyImpact, missionImpact), assumed };
}

function highest<V extends string>(order: readonly V[], values: Array<V | null>): V | null {
  let best = -1;
  for (const v of values) if (v !== null) best = Math.max(best, order.indexOf(v));
  return best < 0 ? null : order[best];
}
