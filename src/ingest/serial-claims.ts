import { CollapsedHeartbeat, mergeCollapsed } from './heartbeat-collapse';
import { Sighting } from './heartbeat-plan';

export interface SettledClaims {
  /** At most one entry per device: its own heartbeats (or, for an unknown device, all of them). */
  heartbeats: CollapsedHeartbeat[];
  /** One per device whose batch also held heartbeats claiming a serial other than its registered one. */
  mismatches: Sighting[];
}

/** The ids whose registered serial settles their contested entries (only an id can be registered). */
export function contestedDeviceIds(batch: CollapsedHeartbeat[]): string[] {
  const ids = new Set<string>();
  for (const hb of batch) if (hb.contested && hb.registrable) ids.add(hb.deviceId);
  return [...ids];
}

/**
 * Sorts the entries of devices that claimed more than one serial in a batch. Those that claim
 * the registered serial, or none, are the device's own heartbeats and become one entry (the
 * newest wins, all are counted); the others are one serial-mismatch sighting per device that
 * counts every one of them. For an id the inventory does not hold, every entry is one
 * not-registered sighting, whatever serial each claimed, so all fold into one entry.
 */
export function settleSerialClaims(batch: CollapsedHeartbeat[], registeredSerials: Map<string, string>): SettledClaims {
  const heartbeats: CollapsedHeartbeat[] = [];
  const own = new Map<string, CollapsedHeartbeat>();
  const impostors = new Map<string, CollapsedHeartbeat>();
  for (const hb of batch) {
    if (!hb.contested) {
      heartbeats.push(hb);
      continue;
    }
    const serial = hb.registrable ? registeredSerials.get(hb.deviceId) : undefined;
    const ours = serial === undefined || hb.serialNumber === null || hb.serialNumber === serial;
    const into = ours ? own : impostors;
    const seen = into.get(hb.deviceId);
    if (seen) mergeCollapsed(seen, hb);
    else into.set(hb.deviceId, { ...hb, contested: false });
  }
  for (const hb of own.values()) heartbeats.push(hb);
  return {
    heartbeats,
    mismatches: [...impostors.values()].map((hb) => ({ claimedDeviceId: hb.deviceId, reason: 'serial_mismatch' as const, heartbeat: hb })),
  };
}

/**
 * One sighting per id and reason, as `unknown_devices` holds them: a statement that upserts one
 * row twice fails. Two arise only when a serial changed between the read that settled a batch's
 * claims and the statement that applies it.
 */
export function mergeSightings(sightings: Sighting[]): Sighting[] {
  const byKey = new Map<string, Sighting>();
  for (const s of sightings) {
    const key = `${s.reason}\n${s.claimedDeviceId}`;
    const seen = byKey.get(key);
    if (seen) mergeCollapsed(seen.heartbeat, s.heartbeat);
    else byKey.set(key, { ...s, heartbeat: { ...s.heartbeat } });
  }
  return [...byKey.values()];
}
