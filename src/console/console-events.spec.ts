import { capDeviceIds, MAX_EVENT_DEVICE_IDS, mergeRogueSightings } from './console-events';

describe('capDeviceIds', () => {
  it('keeps a short list whole', () => {
    expect(capDeviceIds(['a', 'b'])).toEqual({ deviceIds: ['a', 'b'], truncated: false });
  });

  it('keeps exactly the limit whole', () => {
    const ids = Array.from({ length: MAX_EVENT_DEVICE_IDS }, (_, i) => `d${i}`);
    expect(capDeviceIds(ids)).toEqual({ deviceIds: ids, truncated: false });
  });

  it('cuts a longer list and says so', () => {
    const ids = Array.from({ length: MAX_EVENT_DEVICE_IDS + 1 }, (_, i) => `d${i}`);
    const capped = capDeviceIds(ids);
    expect(capped.truncated).toBe(true);
    expect(capped.deviceIds).toEqual(ids.slice(0, MAX_EVENT_DEVICE_IDS));
  });
});

describe('mergeRogueSightings', () => {
  it('says nothing for a window without sightings', () => {
    expect(mergeRogueSightings([])).toBeUndefined();
    expect(mergeRogueSightings([[], []])).toBeUndefined();
  });

  it('names each claimed id once across the batches of the window', () => {
    expect(mergeRogueSightings([['x', 'y'], ['y'], ['z']])).toEqual({ type: 'rogues', claimedDeviceIds: ['x', 'y', 'z'], truncated: false });
  });

  it('cuts a flood of ids and says so', () => {
    const ids = Array.from({ length: MAX_EVENT_DEVICE_IDS + 3 }, (_, i) => `r${i}`);
    const merged = mergeRogueSightings([ids]);
    expect(merged).toMatchObject({ type: 'rogues', truncated: true });
    expect(merged?.type === 'rogues' && merged.claimedDeviceIds.length).toBe(MAX_EVENT_DEVICE_IDS);
  });
});
