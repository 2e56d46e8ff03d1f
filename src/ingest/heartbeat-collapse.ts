import { Heartbeat } from './heartbeat-message';
import { isNewer } from './heartbeat-order';

export interface CollapsedHeartbeat extends Heartbeat {
  /** How many heartbeats of this device (and serial claim) the batch held. */
  count: number;
  /** The latest receive time among them, whichever heartbeat won. */
  lastReceivedAt: Date;
  /**
   * Other heartbeats of this device in the batch claim another serial (or none): they are
   * separate entries, which only the registered serial can sort into the device's own heartbeats
   * and mismatches (serial-claims.ts).
   */
  contested?: boolean;
}

/**
 * One entry per device and serial claim: the newest heartbeat wins (heartbeat-order.ts) and all
 * are counted. Heartbeats that claim different serials are never folded together: one of them
 * may be an impostor, and folded, its sighting was lost under a later good heartbeat, or a good
 * heartbeat was lost under a later impostor. Nearly every device claims one serial (or none) in
 * a batch, so the second-claim map stays empty and costs nothing.
 *
 * Runs for every heartbeat, so it builds one object literal per entry and updates it in place:
 * copying with spread syntax cost five times as much (2.6 against 0.5 us per heartbeat, batches
 * of 2,500).
 */
export function collapseHeartbeats(heartbeats: Heartbeat[]): CollapsedHeartbeat[] {
  const byDevice = new Map<string, CollapsedHeartbeat>();
  let otherClaims: Map<string, CollapsedHeartbeat> | null = null;
  for (const hb of heartbeats) {
    const first = byDevice.get(hb.deviceId);
    if (!first) {
      byDevice.set(hb.deviceId, entry(hb));
      continue;
    }
    if (hb.serialNumber === first.serialNumber) {
      absorb(first, hb);
      continue;
    }
    // A serial is 1-100 characters without control characters, so '' stands for "none" and
    // '\n' cannot occur in either part.
    const key = `${hb.deviceId}\n${hb.serialNumber ?? ''}`;
    otherClaims ??= new Map();
    const other = otherClaims.get(key);
    if (other) {
      absorb(other, hb);
      continue;
    }
    first.contested = true;
    const created = entry(hb);
    created.contested = true;
    otherClaims.set(key, created);
  }
  const collapsed = [...byDevice.values()];
  if (otherClaims) for (const other of otherClaims.values()) collapsed.push(other);
  return collapsed;
}

/** Folds `other` (of the same device) into `into`: the newer one's state, both counted. */
export function mergeCollapsed(into: CollapsedHeartbeat, other: CollapsedHeartbeat): void {
  into.count += other.count;
  if (other.lastReceivedAt > into.lastReceivedAt) into.lastReceivedAt = other.lastReceivedAt;
  if (isNewer(other, into)) take(into, other);
}

function entry(hb: Heartbeat): CollapsedHeartbeat {
  return {
    deviceId: hb.deviceId,
    registrable: hb.registrable,
    firmwareVersion: hb.firmwareVersion,
    sentAt: hb.sentAt,
    receivedAt: hb.receivedAt,
    clockAhead: hb.clockAhead ?? false,
    serialNumber: hb.serialNumber,
    batteryPercent: hb.batteryPercent,
    ipAddress: hb.ipAddress,
    count: 1,
    lastReceivedAt: hb.receivedAt,
    contested: false,
  };
}

function absorb(seen: CollapsedHeartbeat, hb: Heartbeat): void {
  seen.count++;
  if (hb.receivedAt > seen.lastReceivedAt) seen.lastReceivedAt = hb.receivedAt;
  if (isNewer(hb, seen)) take(seen, hb);
}

function take(seen: CollapsedHeartbeat, hb: Heartbeat): void {
  seen.registrable = hb.registrable;
  seen.firmwareVersion = hb.firmwareVersion;
  seen.sentAt = hb.sentAt;
  seen.receivedAt = hb.receivedAt;
  seen.clockAhead = hb.clockAhead ?? false;
  seen.serialNumber = hb.serialNumber;
  // Optional fields the newer heartbeat leaves out keep what an older one of the batch said, as
  // they do across batches (COALESCE in the presence and sighting statements): folded, a
  // device's address was lost whenever its next heartbeat, without one, shared the batch.
  seen.batteryPercent = hb.batteryPercent ?? seen.batteryPercent;
  seen.ipAddress = hb.ipAddress ?? seen.ipAddress;
}
