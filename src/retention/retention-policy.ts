/** The tables that grow with time and are pruned by age (ingest_rejections is bounded by count). */
export const RETAINED_TABLES = ['firmware_history', 'audit_log', 'unknown_devices', 'security_events', 'work_orders'] as const;
export type RetainedTable = (typeof RETAINED_TABLES)[number];

/** Days each table keeps; 0 keeps it forever. */
export type RetentionDays = Record<RetainedTable, number>;

export interface PruneStep {
  table: RetainedTable;
  /** Rows older than this go (for firmware history: except each device's newest). */
  cutoff: Date;
}

const DAY_MS = 86_400_000;

/** What one pass prunes, from the configured days, at `now`; tables kept forever are left out. */
export function pruneSteps(days: RetentionDays, now: Date): PruneStep[] {
  return RETAINED_TABLES.filter((t) => days[t] > 0).map((table) => ({ table, cutoff: new Date(now.getTime() - days[table] * DAY_MS) }));
}
