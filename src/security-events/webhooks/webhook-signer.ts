import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** `whsec_` + base64 of 24 random bytes: the Standard Webhooks secret format receivers' libraries read. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The Standard Webhooks headers of one attempt: the id is the delivery's (the same on every
 * retry, so receivers drop duplicates), the timestamp the attempt's, and the signature
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` by the reference library.
 */
export function signedHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}
