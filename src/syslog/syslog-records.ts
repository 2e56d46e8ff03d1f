import { SdParam, SyslogMessage } from './rfc5424';

/**
 * What a security event and an audit entry become on the wire (docs/siem.md). Pure: the
 * forwarder reads the rows, this decides every byte of their messages.
 */

/** `name@PEN`: 32473 is the private enterprise number IANA reserves for documentation (RFC 5612). */
export const SD_ID = 'iomt@32473';
export const APP_NAME = 'iomt-inventory';
export const AUDIT_MSGID = 'audit';

/** Above this many UTF-8 bytes, `details` / `changes` are left out (`...Omitted="true"`): GET the entry instead. */
export const MAX_JSON_PARAM_BYTES = 4000;

export type SecurityEventSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** RFC 5424 severities: 2 critical, 3 error, 4 warning, 5 notice, 6 informational. */
export const SYSLOG_SEVERITY: Record<SecurityEventSeverity, number> = { critical: 2, high: 3, medium: 4, low: 5, info: 6 };
/** Audit entries are notices, except a lock-out after failed logins: a warning. */
export const AUDIT_SEVERITY = 5;
const AUDIT_SEVERITY_BY_ACTION: Record<string, number> = { lockout: 4 };

export interface SecurityEventRow {
  id: string;
  type: string;
  deviceId: string | null;
  severity: string;
  /** RFC 3339, UTC, microseconds (as the repository formats it). */
  detectedAt: string;
  details: unknown;
}

export interface AuditRow {
  id: string;
  /** RFC 3339, UTC, milliseconds. */
  at: string;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: unknown;
  hash: string;
}

export interface MessageContext {
  facility: number;
  hostname: string;
  procId: string;
}

/** MSG stays printable US-ASCII, so it needs no BOM; free text travels in SD-PARAM values (UTF-8). */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** Patient references never leave: the audit log already writes a mark instead, this holds if a writer forgets. */
function withoutPatientRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPatientRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, /^patient/i.test(k) ? '[redacted]' : withoutPatientRefs(v)]));
  }
  return value;
}

/** A JSON value as one parameter; none for null. */
function jsonParam(name: string, value: unknown): SdParam[] {
  if (value === null || value === undefined) return [];
  const json = JSON.stringify(withoutPatientRefs(value));
  if (Buffer.byteLength(json, 'utf8') > MAX_JSON_PARAM_BYTES) return [{ name: `${name}Omitted`, value: 'true', optional: true }];
  return [{ name, value: json, optional: true }];
}

export function severityOfEvent(severity: string): number {
  return SYSLOG_SEVERITY[severity as SecurityEventSeverity] ?? SYSLOG_SEVERITY.medium;
}

export function securityEventMessage(e: SecurityEventRow, ctx: MessageContext): SyslogMessage {
  const params: SdParam[] = [
    { name: 'id', value: e.id },
    { name: 'type', value: e.type },
    ...(e.deviceId ? [{ name: 'deviceId', value: e.deviceId }] : []),
    { name: 'severity', value: e.severity },
    ...jsonParam('details', e.details),
  ];
  return {
    facility: ctx.facility,
    severity: severityOfEvent(e.severity),
    timestamp: e.detectedAt,
    hostname: ctx.hostname,
    appName: APP_NAME,
    procId: ctx.procId,
    msgId: e.type,
    sdId: SD_ID,
    params,
    msg: ascii(`Security event ${e.type} (${e.severity})${e.deviceId ? ` on device ${e.deviceId}` : ''}`),
  };
}

export function auditMessage(a: AuditRow, ctx: MessageContext): SyslogMessage {
  const params: SdParam[] = [
    { name: 'id', value: a.id },
    { name: 'type', value: AUDIT_MSGID },
    { name: 'action', value: a.action },
    { name: 'entityType', value: a.entityType },
    ...(a.entityId ? [{ name: 'entityId', value: a.entityId }] : []),
    { name: 'actorKind', value: a.actorKind },
    ...(a.actorId ? [{ name: 'actorId', value: a.actorId, optional: true }] : []),
    { name: 'actorName', value: a.actorName, optional: true },
    { name: 'hash', value: a.hash, optional: true },
    ...jsonParam('changes', a.changes),
  ];
  return {
    facility: ctx.facility,
    severity: AUDIT_SEVERITY_BY_ACTION[a.action] ?? AUDIT_SEVERITY,
    timestamp: a.at,
    hostname: ctx.hostname,
    appName: APP_NAME,
    procId: ctx.procId,
    msgId: AUDIT_MSGID,
    sdId: SD_ID,
    params,
    msg: ascii(`Audit ${a.action} ${a.entityType}${a.entityId ? ` ${a.entityId}` : ''} by ${a.actorKind}`),
  };
}
