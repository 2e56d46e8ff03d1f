export const WORK_ORDER_STATUSES = ['open', 'scheduled', 'in_progress', 'verifying', 'done', 'cancelled', 'risk_accepted'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** An active order still has work to do; a device has at most one. */
export const ACTIVE_STATUSES: readonly WorkOrderStatus[] = ['open', 'scheduled', 'in_progress', 'verifying'];

export function isActive(status: WorkOrderStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

/**
 * The moves a person may make. Work goes forward, and may step back one stage (a window missed,
 * a check failed). `done` is no person's move: only proof from the device reaches it. Cancelled
 * and risk-accepted orders are closed; new findings open a new order.
 */
const PERSON_MOVES: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  open: ['scheduled', 'in_progress', 'cancelled', 'risk_accepted'],
  scheduled: ['open', 'in_progress', 'cancelled', 'risk_accepted'],
  in_progress: ['scheduled', 'verifying', 'cancelled', 'risk_accepted'],
  verifying: ['in_progress', 'cancelled', 'risk_accepted'],
  done: [],
  cancelled: [],
  risk_accepted: [],
};

/** Why a person may not move an order from one status to another; null when the move is allowed. */
export function personMoveRefusal(from: WorkOrderStatus, to: WorkOrderStatus): string | null {
  if (to === 'done') {
    return `status: ${from} -> done is refused: done is reached only by proof (the device reports firmware at or above targetFirmware and every linked finding is resolved)`;
  }
  if (from === to) return null;
  if (!PERSON_MOVES[from].includes(to)) {
    const allowed = PERSON_MOVES[from];
    return `status: ${from} -> ${to} is not allowed${allowed.length ? ` (from ${from}: ${allowed.join(', ')})` : ` (${from} is closed)`}`;
  }
  return null;
}
