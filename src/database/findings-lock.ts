/**
 * Every change to findings and their summaries takes this transaction-level advisory lock first
 * (findings recomputes and priority recomputes alike), so two of them touching the same devices
 * are applied one after the other, each reading the other's committed state.
 * Its own number: it was the audit chain's (7_316_052_002), so a change's transaction writing its
 * audit entry waited for a recompute, and a recompute deleting that change's queue row waited
 * for the change: a deadlock.
 */
export const FINDINGS_LOCK = 7_316_052_003;
