import { SecurityEventType } from './security-event-types';

/**
 * Emitted after the commit of a transaction that stored security events (the heartbeat batch's,
 * the findings listener's): metrics count them, and the webhook worker is woken when deliveries
 * were queued instead of waiting for its next poll.
 */
export const SECURITY_EVENTS_RECORDED = 'security-events.recorded';

export interface SecurityEventsRecordedEvent {
  types: SecurityEventType[];
  /** Webhook deliveries queued with them. */
  queued: number;
}
