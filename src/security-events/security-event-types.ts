/** The event types the security_events table takes (migrations 1764300020002, 1764300025001). */
export const SECURITY_EVENT_TYPES = [
  'firmware_downgrade',
  'firmware_not_released',
  'decommissioned_device_heard',
  'serial_mismatch',
  'unknown_device',
  'address_changed',
  'exposure_opened',
  'work_order_overdue',
  'daily_digest',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export const SECURITY_EVENT_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type SecurityEventSeverity = (typeof SECURITY_EVENT_SEVERITIES)[number];

/**
 * The severity of each type detected on the heartbeat path (exposure_opened takes its
 * advisory's). Why each: a rollback is how firmware attacks hide (high); a heartbeat claiming a
 * decommissioned device or another serial is a device impersonated or a retired one still on the
 * network (high); firmware outside the manufacturer's catalog may be unofficial or tampered,
 * or a catalog not kept up to date (medium); an id never registered is a rogue or a forgotten
 * device (medium); an address change is routine for DHCP and worth a look only in context (low).
 */
export const SEVERITY_OF: Record<Exclude<SecurityEventType, 'exposure_opened'>, SecurityEventSeverity> = {
  firmware_downgrade: 'high',
  firmware_not_released: 'medium',
  decommissioned_device_heard: 'high',
  serial_mismatch: 'high',
  unknown_device: 'medium',
  address_changed: 'low',
  work_order_overdue: 'medium',
  daily_digest: 'info',
};

/** An event about to be stored (with its outbox rows) in the transaction that noticed it. */
export interface NewSecurityEvent {
  type: SecurityEventType;
  /** The registered device it is about; null when the id is no inventory device. */
  deviceId: string | null;
  severity: SecurityEventSeverity;
  details: Record<string, unknown>;
}

/** The CloudEvents `type` of a security event. */
export const cloudEventType = (type: string): string => `iomt.security.${type}`;
