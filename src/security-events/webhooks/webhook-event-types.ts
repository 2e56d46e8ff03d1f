import { SECURITY_EVENT_TYPES } from '../security-event-types';

/** What a webhook can subscribe to: every security event type. */
export const WEBHOOK_EVENT_TYPES = [...SECURITY_EVENT_TYPES] as const;

/** The webhook-id header of a delivery: its message id, as Standard Webhooks' `msg_` ids look. */
export const webhookMessageId = (messageId: string): string => `msg_${messageId.replace(/-/g, '')}`;
