import { Heartbeat } from './heartbeat-message';

export interface CollapsedHeartbeat extends Heartbeat {
  /** How many heartbeats of this device the batch held. */
  count: number;
  /** The latest receive time in the batch, whichever heartbeat won. */
  lastReceivedAt: Date;
}

/** One entry per device: the newest sentAt wins (ties: the later arrival). */
export function collapseHeartbeats(heartbeats: Heartbeat[]): CollapsedHeartbeat[] {
  const byDevice = new Map<string, CollapsedHeartbeat>();
  for (const hb of heartbeats) {
    const seen = byDevice.get(hb.deviceId);
    if (!seen) {
      byDevice.set(hb.deviceId, { ...hb, count: 1, lastReceivedAt: hb.receivedAt });
      continue;
    }
    const count = seen.count + 1;
    const lastReceivedAt = hb.receivedAt > seen.lastReceivedAt ? hb.receivedAt : seen.lastReceivedAt;
    const winner = hb.sentAt.getTime() >= seen.sentAt.getTime() ? hb : seen;
    byDevice.set(hb.deviceId, { ...winner, count, lastReceivedAt });
  }
  return [...byDevice.values()];
}
