import { capDeviceIds, MAX_EVENT_DEVICE_IDS } from './console-events';

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
