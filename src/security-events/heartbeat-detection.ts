import { compareVersions } from '../firmware';
import { NewSecurityEvent, SEVERITY_OF } from './security-event-types';

/** A firmware change a batch applies, with the model's release catalog (null: the model has none). */
export interface FirmwareChangeFact {
  deviceId: string;
  fromVersion: string | null;
  toVersion: string;
  releases: string[] | null;
}

/** The first sighting ever of an id and reason in unknown_devices (a later one only counts). */
export interface FirstSightingFact {
  claimedDeviceId: string;
  reason: 'not_registered' | 'serial_mismatch';
  /** The id is a device of the inventory that was decommissioned. */
  decommissioned: boolean;
  firmwareVersion: string;
  serialNumber: string | null;
  ipAddress: string | null;
}

/** A device whose applied heartbeat reported an address other than the stored one. */
export interface AddressChangeFact {
  deviceId: string;
  from: string;
  to: string;
}

export interface HeartbeatFacts {
  firmwareChanges: FirmwareChangeFact[];
  firstSightings: FirstSightingFact[];
  addressChanges: AddressChangeFact[];
}

/**
 * The security events a heartbeat batch raises, from state changes the batch itself makes
 * (a firmware change, a first sighting, a new address). Each is a transition of stored state
 * in the batch's transaction, so a heartbeat delivered again (its PUBACK lost) finds the state
 * already changed and raises nothing a second time.
 */
export function detectHeartbeatEvents(facts: HeartbeatFacts): NewSecurityEvent[] {
  const events: NewSecurityEvent[] = [];
  for (const c of facts.firmwareChanges) {
    // Not comparable (different schemes, unparsable) is no downgrade: it cannot be told.
    if (c.fromVersion !== null && compareVersions(c.toVersion, c.fromVersion) === -1) {
      events.push({
        type: 'firmware_downgrade',
        deviceId: c.deviceId,
        severity: SEVERITY_OF.firmware_downgrade,
        details: { fromVersion: c.fromVersion, toVersion: c.toVersion },
      });
    }
    if (c.releases && c.releases.length > 0 && !isReleased(c.toVersion, c.releases)) {
      events.push({
        type: 'firmware_not_released',
        deviceId: c.deviceId,
        severity: SEVERITY_OF.firmware_not_released,
        details: { version: c.toVersion, fromVersion: c.fromVersion, catalogSize: c.releases.length },
      });
    }
  }
  for (const s of facts.firstSightings) {
    const reported = { firmwareVersion: s.firmwareVersion, serialNumber: s.serialNumber, ipAddress: s.ipAddress };
    if (s.reason === 'serial_mismatch') {
      events.push({ type: 'serial_mismatch', deviceId: s.claimedDeviceId, severity: SEVERITY_OF.serial_mismatch, details: reported });
    } else if (s.decommissioned) {
      events.push({
        type: 'decommissioned_device_heard',
        deviceId: s.claimedDeviceId,
        severity: SEVERITY_OF.decommissioned_device_heard,
        details: reported,
      });
    } else {
      events.push({
        type: 'unknown_device',
        deviceId: null,
        severity: SEVERITY_OF.unknown_device,
        details: { claimedDeviceId: s.claimedDeviceId, ...reported },
      });
    }
  }
  for (const a of facts.addressChanges) {
    events.push({ type: 'address_changed', deviceId: a.deviceId, severity: SEVERITY_OF.address_changed, details: { from: a.from, to: a.to } });
  }
  return events;
}

/** In the catalog as written, or as a version equal to one there (1.2 and 1.2.0). */
export function isReleased(version: string, releases: string[]): boolean {
  return releases.some((r) => r === version || compareVersions(r, version) === 0);
}
