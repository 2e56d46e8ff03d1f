import type { PriorityDto } from './dto/priority.dto';
import { AssumedInput, resolveDeviceInputs, ThreatInputs } from './priority-inputs';
import { decide, DeviceClass, SsvcDecision } from './ssvc-decision';
import { Automatable, Exploitation, MissionImpact, SafetyImpact, SystemExposure } from './ssvc-decision-points';

/**
 * A finding's priority is not stored as an object: the finding keeps its decision, due date and
 * the key of its device's inputs (`device_class`), its advisory's row of `advisory_threats` keeps
 * the threat side and the feeds' values, and the object the API shows is made here from those,
 * by the same pure rules that decided it. Rows stay narrow, and a change of KEV or EPSS rewrites
 * one row per advisory instead of one per finding.
 */
export interface StoredPriorityRow extends FindingDecisionRow, AdvisoryThreatRow {}

/** The finding's own side: its cell's decision, its device's class, its due date (FINDING_DECISION_READ_SQL). */
export interface FindingDecisionRow {
  decision: string | null;
  device_class: string | null;
  /** ISO 8601 in UTC, as the API shows it (isoInstantSql); null where the policy gives the decision no duration. */
  due_at: string | null;
}

/** Its advisory's side, one row of advisory_threats (THREAT_READ_SQL); all null while the advisory has none. */
export interface AdvisoryThreatRow {
  threat_key: string | null;
  in_kev: boolean | null;
  known_ransomware: boolean | null;
  epss: string | number | null;
  epss_percentile: string | number | null;
}

/** An advisory's resolved threat side as one key: exploitation|automatable|assumed inputs. */
export const threatKey = (t: ThreatInputs): string => `${t.exploitation}|${t.automatable}|${t.assumed.join(',')}`;

/** A device's stored inputs as one key ('' for a value nobody set); the SQL twin is DEVICE_CLASS_SQL. */
export const deviceClassKey = (c: DeviceClass): string => `${c.systemExposure ?? ''}|${c.safetyImpact ?? ''}|${c.missionImpact ?? ''}`;

const decided = new Map<string, SsvcDecision>();

function decisionOf(threat: string, device: string): SsvcDecision {
  const key = `${threat}#${device}`;
  let d = decided.get(key);
  if (!d) {
    const [exploitation, automatable, assumed] = threat.split('|');
    const [systemExposure, safetyImpact, missionImpact] = device.split('|');
    d = decide(
      { exploitation: exploitation as Exploitation, automatable: automatable as Automatable, assumed: assumed ? (assumed.split(',') as AssumedInput[]) : [] },
      resolveDeviceInputs({
        systemExposure: (systemExposure || null) as SystemExposure | null,
        safetyImpact: (safetyImpact || null) as SafetyImpact | null,
        missionImpact: (missionImpact || null) as MissionImpact | null,
      }),
    );
    decided.set(key, d);
  }
  return d;
}

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * The priority the API shows for a finding; null while it has no decision. `t` is its advisory's
 * threat side: the finding's own row when one statement read both, or its advisory's row where a
 * page reads each advisory once (reports.repository.ts openFindingsOf).
 */
export function priorityOf(r: FindingDecisionRow, t: AdvisoryThreatRow): PriorityDto | null {
  if (r.decision === null || r.device_class === null || t.threat_key === null) return null;
  const d = decisionOf(t.threat_key, r.device_class);
  return {
    decision: d.decision,
    exploitation: d.exploitation,
    automatable: d.automatable,
    systemExposure: d.systemExposure,
    safetyImpact: d.safetyImpact,
    missionImpact: d.missionImpact,
    humanImpact: d.humanImpact,
    inKev: t.in_kev ?? false,
    knownRansomware: t.known_ransomware ?? false,
    epss: num(t.epss),
    epssPercentile: num(t.epss_percentile),
    vector: d.vector,
    dueAt: r.due_at,
    assumed: d.assumed,
  };
}
