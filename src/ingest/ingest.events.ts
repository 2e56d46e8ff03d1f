/**
 * Emitted after a commit that changed devices' connectivity: a heartbeat batch that brought
 * devices online, or the offline sweep. Only transitions: a routine heartbeat emits nothing.
 */
export const CONNECTIVITY_CHANGED = 'ingest.connectivity-changed';

export interface ConnectivityChangedEvent {
  deviceIds: string[];
  connectivity: 'online' | 'offline';
}

/** Emitted after a heartbeat batch that stored sightings of devices the inventory does not know (or whose serial disagrees). */
export const ROGUE_SIGHTED = 'ingest.rogue-sighted';

export interface RogueSightedEvent {
  sightings: { claimedDeviceId: string; reason: 'not_registered' | 'serial_mismatch' }[];
}
