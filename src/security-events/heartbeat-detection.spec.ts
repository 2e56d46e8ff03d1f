import { detectHeartbeatEvents, HeartbeatFacts, isReleased } from './heartbeat-detection';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const facts = (f: Partial<HeartbeatFacts>): HeartbeatFacts => ({ firmwareChanges: [], firstSightings: [], addressChanges: [], ...f });
const change = (fromVersion: string | null, toVersion: string, releases: string[] | null = null) => ({ deviceId: A, fromVersion, toVersion, releases });
const types = (f: Partial<HeartbeatFacts>) => detectHeartbeatEvents(facts(f)).map((e) => e.type);

describe('detectHeartbeatEvents', () => {
  it('raises firmware_downgrade, high, when the reported firmware is lower than the stored one', () => {
    expect(detectHeartbeatEvents(facts({ firmwareChanges: [change('2.4.1', '2.3.9')] }))).toEqual([
      { type: 'firmware_downgrade', deviceId: A, severity: 'high', details: { fromVersion: '2.4.1', toVersion: '2.3.9' } },
    ]);
  });

  it.each([
    ['an upgrade', '2.4.1', '2.5.0'],
    ['an equal version written otherwise', '1.2', '1.2.0'],
    ['versions of different shapes (not comparable)', 'L82', '028U000061'],
    ['an unparsable stored version', '???', '1.0'],
  ])('raises no downgrade for %s', (_name, from, to) => {
    expect(types({ firmwareChanges: [change(from, to)] })).toEqual([]);
  });

  it('raises no downgrade for a device that had no firmware on record', () => {
    expect(types({ firmwareChanges: [change(null, '1.0')] })).toEqual([]);
  });

  it('compares as data: 8.00.01 after 8.01.00 is a downgrade, 2.6A after 2.6 is not', () => {
    expect(types({ firmwareChanges: [change('8.01.00', '8.00.01')] })).toEqual(['firmware_downgrade']);
    expect(types({ firmwareChanges: [change('2.6', '2.6A')] })).toEqual([]);
  });

  it('raises firmware_not_released when the model has a catalog without the version', () => {
    expect(detectHeartbeatEvents(facts({ firmwareChanges: [change('1.0', '1.1-beta', ['1.0', '1.1'])] }))).toEqual([
      { type: 'firmware_not_released', deviceId: A, severity: 'medium', details: { version: '1.1-beta', fromVersion: '1.0', catalogSize: 2 } },
    ]);
  });

  it('raises nothing about the catalog when the model has none, or the version is in it', () => {
    expect(types({ firmwareChanges: [change('1.0', '1.7', null)] })).toEqual([]);
    expect(types({ firmwareChanges: [change('1.0', '1.7', [])] })).toEqual([]);
    expect(types({ firmwareChanges: [change('1.0', '1.1.0', ['1.0', '1.1'])] })).toEqual([]);
  });

  it('raises both for a rollback to a version outside the catalog', () => {
    expect(types({ firmwareChanges: [change('2.0', '1.5', ['2.0'])] })).toEqual(['firmware_downgrade', 'firmware_not_released']);
  });

  it('tells a first sighting of an unknown id, a decommissioned device and a serial mismatch apart', () => {
    const sighting = { firmwareVersion: '1.0', serialNumber: 'SN-X', ipAddress: '10.0.0.9' };
    const events = detectHeartbeatEvents(
      facts({
        firstSightings: [
          { claimedDeviceId: 'not-a-uuid', reason: 'not_registered', decommissioned: false, ...sighting },
          { claimedDeviceId: A, reason: 'not_registered', decommissioned: true, ...sighting },
          { claimedDeviceId: B, reason: 'serial_mismatch', decommissioned: false, ...sighting },
        ],
      }),
    );
    expect(events).toEqual([
      { type: 'unknown_device', deviceId: null, severity: 'medium', details: { claimedDeviceId: 'not-a-uuid', ...sighting } },
      { type: 'decommissioned_device_heard', deviceId: A, severity: 'high', details: sighting },
      { type: 'serial_mismatch', deviceId: B, severity: 'high', details: sighting },
    ]);
  });

  it('raises address_changed, low, with both addresses', () => {
    expect(detectHeartbeatEvents(facts({ addressChanges: [{ deviceId: A, from: '10.0.0.1', to: '10.0.0.2' }] }))).toEqual([
      { type: 'address_changed', deviceId: A, severity: 'low', details: { from: '10.0.0.1', to: '10.0.0.2' } },
    ]);
  });

  it('raises nothing for a batch that changed nothing', () => {
    expect(detectHeartbeatEvents(facts({}))).toEqual([]);
  });
});

describe('isReleased', () => {
  it('matches as written or as an equal version', () => {
    expect(isReleased('1.1', ['1.1'])).toBe(true);
    expect(isReleased('1.1.0', ['1.1'])).toBe(true);
    expect(isReleased('1.1.1', ['1.1'])).toBe(false);
    expect(isReleased('L82', ['028U000061'])).toBe(false);
  });
});
