import { NewSecurityEvent } from '../security-events/security-event-types';
import { CollapsedHeartbeat } from './heartbeat-collapse';
import { isNewerThanStored } from './heartbeat-order';

export interface KnownDeviceState {
  id: string;
  firmwareVersion: string | null;
  serialNumber: string;
  lastHeartbeatSentAt: Date | null;
  /** The stored sentAt is the receipt of a heartbeat whose own sentAt was ahead of it. */
  lastHeartbeatClockAhead: boolean;
}

/** A heartbeat applied to a known device (its presence row is written in SQL). */
export interface DeviceUpdate {
  id: string;
  /** False for a heartbeat older than the stored one: it marks the device seen, nothing more. */
  applies: boolean;
}

export interface Sighting {
  claimedDeviceId: string;
  reason: 'not_registered' | 'serial_mismatch';
  heartbeat: CollapsedHeartbeat;
}

export interface HeartbeatPlan {
  updates: DeviceUpdate[];
  /** Heartbeats applied to presence alone, outside `updates` (set by the repository). */
  routine: number;
  /**
   * The only change a heartbeat makes to the inventory row itself; most touch only
   * device_presence. In device id order, so concurrent writers lock rows in the same order.
   */
  firmwareChanges: { deviceId: string; fromVersion: string | null; toVersion: string }[];
  sightings: Sighting[];
  /** Devices that were not online before this batch (counted by the repository, from presence). */
  cameOnline: number;
  /** Their ids (set by the repository from the rows it already reads back): the console's online events. */
  cameOnlineIds: string[];
  /** Stored in the batch's transaction (set by the repository), with their webhook deliveries. */
  securityEvents: NewSecurityEvent[];
  webhookDeliveries: number;
}

export const emptyPlan = (): HeartbeatPlan => ({
  updates: [],
  routine: 0,
  firmwareChanges: [],
  sightings: [],
  cameOnline: 0,
  cameOnlineIds: [],
  securityEvents: [],
  webhookDeliveries: 0,
});

/**
 * Decides what a batch does to the devices it names, given their locked current state.
 * A heartbeat whose serial disagrees with the registered one is treated as a possible
 * impostor: flagged as a sighting and not applied to the device.
 */
export function planHeartbeatBatch(batch: CollapsedHeartbeat[], known: Map<string, KnownDeviceState>): HeartbeatPlan {
  const plan = emptyPlan();
  for (const hb of batch) {
    const device = hb.registrable ? known.get(hb.deviceId) : undefined;
    if (!device) {
      plan.sightings.push({ claimedDeviceId: hb.deviceId, reason: 'not_registered', heartbeat: hb });
      continue;
    }
    if (hb.serialNumber && hb.serialNumber !== device.serialNumber) {
      plan.sightings.push({ claimedDeviceId: hb.deviceId, reason: 'serial_mismatch', heartbeat: hb });
      continue;
    }
    const applies = isNewerThanStored(hb, device.lastHeartbeatSentAt, device.lastHeartbeatClockAhead);
    plan.updates.push({ id: device.id, applies });
    if (applies && hb.firmwareVersion !== device.firmwareVersion) {
      plan.firmwareChanges.push({ deviceId: device.id, fromVersion: device.firmwareVersion, toVersion: hb.firmwareVersion });
    }
  }
  plan.firmwareChanges.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  return plan;
}
