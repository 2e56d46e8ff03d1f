import { dataError } from '../database/pg-errors';
import { heartbeatTopicFor } from '../mqtt/heartbeat-topic';
import { Heartbeat } from './heartbeat-message';
import { Rejection } from './heartbeat.repository';

/** PostgreSQL text cannot hold U+0000; a stored rejection shows U+FFFD in its place. */
export function storableText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

/**
 * What is stored for a heartbeat that passed validation but that the database refused (see
 * HeartbeatBatcher). The raw payload is no longer at hand, so the heartbeat is kept as parsed.
 */
export function unstorableRejection(hb: Heartbeat, error: unknown): Rejection {
  const code = dataError(error) ?? 'unknown';
  const message = error instanceof Error ? error.message : String(error);
  return {
    receivedAt: hb.receivedAt,
    topic: storableText(heartbeatTopicFor(hb.deviceId)),
    reason: 'unstorable',
    detail: storableText(`the database refused it (SQLSTATE ${code}): ${message}`).slice(0, 500),
    payload: storableText(
      JSON.stringify({
        firmwareVersion: hb.firmwareVersion,
        sentAt: hb.sentAt.toISOString(),
        serialNumber: hb.serialNumber,
        batteryPercent: hb.batteryPercent,
        ipAddress: hb.ipAddress,
      }),
    ),
  };
}
