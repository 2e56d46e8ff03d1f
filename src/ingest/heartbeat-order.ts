/** What orders two heartbeats of one device. */
export interface HeartbeatTime {
  sentAt: Date;
  receivedAt: Date;
  clockAhead?: boolean;
}

/**
 * Newest wins, by the device's own clock: a heartbeat that waited in a queue must not undo a
 * later one. But a heartbeat whose sentAt was ahead of its receipt carries the receipt instead
 * (nothing after the receipt is stored), an upper bound of when it was really sent: compared with
 * a true sentAt it would beat a heartbeat sent a moment later that was still on its way. So when
 * either side's clock was ahead, arrival decides. Ties go to the later arrival.
 */
export function isNewer(next: HeartbeatTime, current: HeartbeatTime): boolean {
  if (next.clockAhead || current.clockAhead) return next.receivedAt.getTime() >= current.receivedAt.getTime();
  const a = next.sentAt.getTime();
  const b = current.sentAt.getTime();
  return a > b || (a === b && next.receivedAt.getTime() >= current.receivedAt.getTime());
}

/**
 * The same rule against the stored heartbeat, of which only the sentAt and the flag are kept.
 * A stored clock-ahead sentAt is its receipt, so the arrival of the new one is compared with it.
 * A new clock-ahead one carries its receipt as sentAt, so that comparison needs no case of its own.
 */
export function isNewerThanStored(next: HeartbeatTime, storedSentAt: Date | null, storedClockAhead: boolean): boolean {
  if (!storedSentAt) return true;
  return (storedClockAhead ? next.receivedAt : next.sentAt).getTime() >= storedSentAt.getTime();
}
