/** One change as a service describes it to the audit log. */
export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string | null;
  changes?: Record<string, unknown> | null;
}
