/** What the console's live stream carries; pure so the shaping is tested without a server. */
export type ConsoleEvent =
  | { type: 'findings'; deviceIds: string[]; truncated: boolean; opened: number; resolved: number }
  | { type: 'devices'; deviceIds: string[]; truncated: boolean; reason: string }
  | { type: 'connectivity'; deviceIds: string[]; truncated: boolean; connectivity: 'online' | 'offline' }
  | { type: 'rogues'; claimedDeviceIds: string[]; truncated: boolean };

/** A recompute can touch a whole fleet: past this many ids a console just reloads what it shows. */
export const MAX_EVENT_DEVICE_IDS = 500;

export function capDeviceIds(ids: string[]): { deviceIds: string[]; truncated: boolean } {
  return ids.length > MAX_EVENT_DEVICE_IDS ? { deviceIds: ids.slice(0, MAX_EVENT_DEVICE_IDS), truncated: true } : { deviceIds: ids, truncated: false };
}

/**
 * One `rogues` event for the sightings of a window of heartbeat batches: an unknown device
 * publishing fast would otherwise make every console reload its rogue list once per batch.
 * Undefined when the window saw none.
 */
export function mergeRogueSightings(batches: string[][]): ConsoleEvent | undefined {
  const ids = [...new Set(batches.flat())];
  if (!ids.length) return undefined;
  const { deviceIds, truncated } = capDeviceIds(ids);
  return { type: 'rogues', claimedDeviceIds: deviceIds, truncated };
}
