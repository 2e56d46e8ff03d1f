import { compareVersions } from '../firmware';
import { remediationFor } from '../findings/remediation';
import { Decision, decisionRank, RemediationPolicy } from './decision';
import { effectiveDecision } from './effective-decision';
import { WorkOrderStatus } from './work-order-status';

/** An open finding of a device, with what urgency and remediation need. */
export interface OpenFinding {
  id: string;
  advisoryId: string;
  decision: Decision | null;
  dueAt: Date | null;
  severity: string;
  detectedAt: Date;
  fixedVersion: string | null;
  affectedVersions: string;
}

/** A finding an order covers, open or resolved since. */
export interface LinkedFinding {
  findingId: string;
  advisoryId: string;
  open: boolean;
  fixedVersion: string | null;
  affectedVersions: string;
}

export interface PlannedOrder {
  id: string;
  status: WorkOrderStatus;
  decision: Decision;
  dueAt: Date | null;
  targetFirmware: string | null;
  links: LinkedFinding[];
}

/** What the device last said of its firmware, and how: the proof a fix is recorded with. */
export interface FirmwareEvidence {
  source: 'heartbeat' | 'person';
  firmware: string | null;
  /** The heartbeat's own sentAt, for a heartbeat. */
  sentAt: string | null;
  changedAt: string | null;
  /** Who edited, for a person's change. */
  actor: string | null;
}

export interface DeviceState {
  deviceId: string;
  firmwareVersion: string | null;
  evidence: FirmwareEvidence;
  openFindings: OpenFinding[];
  /** The order still being worked on, if any (at most one per device). */
  active: PlannedOrder | null;
  /** The most recent order closed by proof: a rollback reopens it. */
  lastDone: PlannedOrder | null;
}

/** The order's terms from the findings it covers: highest decision, earliest due date, minimum safe version. */
export interface OrderTerms {
  decision: Decision;
  dueAt: Date | null;
  targetFirmware: string | null;
}

export type Step =
  | { kind: 'create'; deviceId: string; findings: OpenFinding[]; terms: OrderTerms; detectedAt: Date }
  | { kind: 'join'; orderId: string; findings: OpenFinding[]; terms: OrderTerms; previous: OrderTerms }
  | { kind: 'reopen'; orderId: string; advisoryIds: string[]; firmware: string | null }
  | { kind: 'done'; orderId: string; evidence: FirmwareEvidence };

export interface PlanOptions {
  policy: RemediationPolicy;
  /** Open an order even when no finding's decision is one that opens orders by itself (a person asked). */
  force?: boolean;
}

/**
 * What the work orders of one device should become after its findings or their decisions changed:
 * a rollback reopens the order the device had proved done, new open findings join the active
 * order (raising its terms), a device without an order gets one when a finding's decision calls
 * for it, and an order whose findings are all resolved on firmware at or above its target is done.
 */
export function planDevice(state: DeviceState, options: PlanOptions): Step[] {
  const steps: Step[] = [];
  let active = state.active;
  const openAdvisories = new Set(state.openFindings.map((f) => f.advisoryId));

  if (!active && state.lastDone) {
    const back = [...new Set(state.lastDone.links.map((l) => l.advisoryId).filter((a) => openAdvisories.has(a)))];
    if (back.length) {
      steps.push({ kind: 'reopen', orderId: state.lastDone.id, advisoryIds: back, firmware: state.firmwareVersion });
      active = { ...state.lastDone, status: 'open' };
    }
  }

  if (active) {
    const linked = new Set(active.links.map((l) => l.findingId));
    const joining = state.openFindings.filter((f) => !linked.has(f.id));
    if (joining.length) {
      const previous: OrderTerms = { decision: active.decision, dueAt: active.dueAt, targetFirmware: active.targetFirmware };
      const terms = raiseTerms(previous, termsOf(joining, options.policy), [...active.links, ...joining]);
      steps.push({ kind: 'join', orderId: active.id, findings: joining, terms, previous });
      return steps;
    }
    if (proven(active, state)) steps.push({ kind: 'done', orderId: active.id, evidence: state.evidence });
    return steps;
  }

  if (!state.openFindings.length) return steps;
  const auto = new Set(options.policy.autoOpenDecisions);
  const wanted = options.force || state.openFindings.some((f) => auto.has(effectiveDecision(f, options.policy).decision));
  if (!wanted) return steps;
  steps.push({
    kind: 'create',
    deviceId: state.deviceId,
    findings: state.openFindings,
    terms: termsOf(state.openFindings, options.policy),
    detectedAt: new Date(Math.min(...state.openFindings.map((f) => f.detectedAt.getTime()))),
  });
  return steps;
}

/** Every covered finding resolved, and the firmware the device reports at or above the target (any, for a mitigation order). */
function proven(order: PlannedOrder, state: DeviceState): boolean {
  if (!order.links.length || order.links.some((l) => l.open) || state.openFindings.length) return false;
  if (order.targetFirmware === null) return true;
  return state.firmwareVersion !== null && (compareVersions(state.firmwareVersion, order.targetFirmware) ?? -1) >= 0;
}

export function termsOf(findings: OpenFinding[], policy: RemediationPolicy): OrderTerms {
  let decision: Decision = 'defer';
  let dueAt: Date | null = null;
  for (const f of findings) {
    const e = effectiveDecision(f, policy);
    if (decisionRank(e.decision) > decisionRank(decision)) decision = e.decision;
    if (e.dueAt && (!dueAt || e.dueAt < dueAt)) dueAt = e.dueAt;
  }
  return { decision, dueAt, targetFirmware: remediationFor(findings).minimumSafeVersion };
}

/** Joining findings only raise an order's urgency, and its target is what all its findings need. */
function raiseTerms(current: OrderTerms, joining: OrderTerms, all: Array<{ fixedVersion: string | null; affectedVersions: string }>): OrderTerms {
  return {
    decision: decisionRank(joining.decision) > decisionRank(current.decision) ? joining.decision : current.decision,
    dueAt: [current.dueAt, joining.dueAt].filter((d): d is Date => !!d).sort((a, b) => a.getTime() - b.getTime())[0] ?? null,
    targetFirmware: remediationFor(all).minimumSafeVersion,
  };
}
