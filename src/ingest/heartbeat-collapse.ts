import { Heartbeat } from './heartbeat-message';

export interface CollapsedHeartbeat extends Heartbeat {
  /** How many heartbeats of this device the batch held. */
  count: number;
  /** The latest receive time in the batch, whichever heartbeat won. */
  lastReceivedAt: Date;
}

/**
 * One entry per device: the newest sentAt wins (ties: the later arrival). Runs for every
 * heartbeat, so it builds one object literal per device and updates it in place: copying with
 * spread syntax cost five times as much (2.6 against 0.5 us per heartbeat, batches of 2,500).
 */
export function collapseHeartbeats(heartbeats: Heartbeat[]): CollapsedHeartbeat[] {
  const byDevice = new Map<string, CollapsedHeartbeat>();
  for (const hb of heartbeats) {
    const seen = byDevice.get(hb.deviceId);
    if (!seen) {
      byDevice.set(hb.deviceId, {
        deviceId: hb.deviceId,
        registrable: hb.registrable,
        firmwareVersion: hb.firmwareVersion,
        sentAt: hb.sentAt,
        receivedAt: hb.receivedAt,
        serialNumber: hb.serialNumber,
        batteryPercent: hb.batteryPercent,
        ipAddress: hb.ipAddress,
        count: 1,
        lastReceivedAt: hb.receivedAt,
      });
      continue;
    }
    seen.count++;
    if (hb.receivedAt > seen.lastReceivedAt) seen.lastReceivedAt = hb.receivedAt;
    if (hb.sentAt.getTime() >= seen.sentAt.getTime()) {
      seen.registrable = hb.registrable;
      seen.firmwareVersion = hb.firmwareVersion;
      seen.sentAt = hb.sentAt;
      seen.receivedAt = hb.receivedAt;
      seen.serialNumber = hb.serialNumber;
      seen.batteryPercent = hb.batteryPercent;
      seen.ipAddress = hb.ipAddress;
    }
  }
  return [...byDevice.values()];
}
