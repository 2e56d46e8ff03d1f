import { isIP } from 'node:net';
import { FIRMWARE_VERSION_PATTERN } from '../firmware';
import { isUuid } from '../common/uuid';
import { MAX_HEARTBEAT_BYTES } from '../config/mqtt-limits';
import { deviceIdOfHeartbeatTopic, HEARTBEAT_TOPIC_SHAPE } from '../mqtt/heartbeat-topic';
import { parseSentAt } from './sent-at';

export { MAX_HEARTBEAT_BYTES };
/** Device clocks drift; beyond this a sentAt "from the future" is a broken or lying device. */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;
/** U+0000 cannot be stored in PostgreSQL text, and the others garble whatever displays them. */
const CONTROL_CHARACTER = /\p{Cc}/u;
const SENT_AT_FORMAT = 'sentAt: must be an ISO-8601 date-time with a time zone, on a date and at a time that exist';

/** `unstorable`: valid by these checks, but the database refused it (it is stored as a rejection instead). */
export const REJECTION_REASONS = ['too_large', 'bad_topic', 'not_json', 'invalid_field', 'sent_at_in_future', 'retained', 'unstorable'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Heartbeat {
  /** As claimed by the topic; `registrable` says whether it can be an inventory id at all. */
  deviceId: string;
  registrable: boolean;
  firmwareVersion: string;
  /** The device's own time, or the receive time when it sent none or one after it (see clockAhead). */
  sentAt: Date;
  receivedAt: Date;
  /**
   * The device's sentAt was after the receipt, so `sentAt` holds the receipt instead: no time
   * after the receipt is ever stored, and this heartbeat is ordered by arrival (heartbeat-order.ts).
   */
  clockAhead?: boolean;
  serialNumber: string | null;
  batteryPercent: number | null;
  ipAddress: string | null;
}

export type HeartbeatParse = { ok: true; heartbeat: Heartbeat } | { ok: false; reason: RejectionReason; detail: string };

const reject = (reason: RejectionReason, detail: string): HeartbeatParse => ({ ok: false, reason, detail });

/**
 * Validates one MQTT heartbeat. Unknown payload fields are ignored rather than refused: device
 * firmware adds fields over time, and refusing them would lose good heartbeats.
 *
 * `retained`: brokers set the flag only when they replay the topic's retained message to a new
 * subscription (every service start), so such a message may be days old and says nothing about
 * the device now; taking it would make a silent device look online.
 */
export function parseHeartbeat(topic: string, payload: Buffer, receivedAt: Date, retained = false): HeartbeatParse {
  if (retained) return reject('retained', 'a retained message replayed by the broker, not a live heartbeat');
  if (payload.length > MAX_HEARTBEAT_BYTES) return reject('too_large', `payload is ${payload.length} bytes; the limit is ${MAX_HEARTBEAT_BYTES}`);
  const deviceId = deviceIdOfHeartbeatTopic(topic);
  if (deviceId === null) return reject('bad_topic', `topic must be ${HEARTBEAT_TOPIC_SHAPE}`);
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return reject('not_json', 'payload is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return reject('invalid_field', 'payload must be a JSON object');
  const b = body as Record<string, unknown>;

  if (typeof b.firmwareVersion !== 'string') return reject('invalid_field', 'firmwareVersion: is required and must be a string');
  if (!FIRMWARE_VERSION_PATTERN.test(b.firmwareVersion))
    return reject('invalid_field', 'firmwareVersion: must be 1-100 printable characters without surrounding spaces');

  let sentAt = receivedAt;
  let clockAhead = false;
  if (b.sentAt !== undefined && b.sentAt !== null) {
    const claimed = typeof b.sentAt === 'string' ? parseSentAt(b.sentAt) : null;
    if (!claimed) return reject('invalid_field', SENT_AT_FORMAT);
    const ahead = claimed.getTime() - receivedAt.getTime();
    if (ahead > MAX_FUTURE_SKEW_MS) return reject('sent_at_in_future', `sentAt: ${b.sentAt} is more than 5 minutes ahead of the server clock`);
    // Stored as it came, a time ahead of the receipt outranked every true heartbeat after it
    // until the clock caught up, and showed the device as heard from in the future.
    if (ahead > 0) clockAhead = true;
    else sentAt = claimed;
  }
  if (
    b.serialNumber !== undefined &&
    b.serialNumber !== null &&
    (typeof b.serialNumber !== 'string' || b.serialNumber.length === 0 || b.serialNumber.length > 100 || CONTROL_CHARACTER.test(b.serialNumber))
  ) {
    return reject('invalid_field', 'serialNumber: must be a string of 1-100 characters without control characters');
  }
  if (
    b.batteryPercent !== undefined &&
    b.batteryPercent !== null &&
    (typeof b.batteryPercent !== 'number' || !Number.isFinite(b.batteryPercent) || b.batteryPercent < 0 || b.batteryPercent > 100)
  ) {
    return reject('invalid_field', 'batteryPercent: must be a number from 0 to 100');
  }
  // isIP takes an IPv6 zone id of any length ("fe80::1%eth0"); the column holds 45 characters,
  // the longest address written out.
  if (b.ipAddress !== undefined && b.ipAddress !== null && (typeof b.ipAddress !== 'string' || b.ipAddress.length > 45 || isIP(b.ipAddress) === 0)) {
    return reject('invalid_field', 'ipAddress: must be an IPv4 or IPv6 address of at most 45 characters');
  }
  return {
    ok: true,
    heartbeat: {
      deviceId: deviceId.toLowerCase(),
      registrable: isUuid(deviceId),
      firmwareVersion: b.firmwareVersion,
      sentAt,
      receivedAt,
      clockAhead,
      serialNumber: (b.serialNumber as string | undefined) ?? null,
      batteryPercent: typeof b.batteryPercent === 'number' ? Math.round(b.batteryPercent) : null,
      ipAddress: (b.ipAddress as string | undefined) ?? null,
    },
  };
}
