import fc from 'fast-check';
import { collapseHeartbeats } from './heartbeat-collapse';
import { Heartbeat } from './heartbeat-message';
import { KnownDeviceState, planHeartbeatBatch } from './heartbeat-plan';

const A = '00000000-0000-4000-8000-00000000000a';
const hb = (over: Partial<Heartbeat>): Heartbeat => ({
  deviceId: A,
  registrable: true,
  firmwareVersion: '1.0',
  sentAt: new Date('2026-01-01T00:00:00Z'),
  receivedAt: new Date('2026-01-01T00:00:01Z'),
  serialNumber: null,
  batteryPercent: null,
  ipAddress: null,
  ...over,
});
const known = (over: Partial<KnownDeviceState> = {}) =>
  new Map<string, KnownDeviceState>([
    [A, { id: A, firmwareVersion: '1.0', serialNumber: 'SN', lastHeartbeatSentAt: null, lastHeartbeatClockAhead: false, ...over }],
  ]);

describe('collapseHeartbeats', () => {
  it('keeps the newest sentAt per device and counts all of them', () => {
    const out = collapseHeartbeats([
      hb({ firmwareVersion: '2', sentAt: new Date('2026-01-01T00:00:02Z') }),
      hb({ firmwareVersion: '3', sentAt: new Date('2026-01-01T00:00:03Z') }),
      hb({ firmwareVersion: '1', sentAt: new Date('2026-01-01T00:00:01Z'), receivedAt: new Date('2026-01-01T00:00:09Z') }),
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ firmwareVersion: '3', count: 3, lastReceivedAt: new Date('2026-01-01T00:00:09Z') });
  });

  it('matches the definition for any batch: newest sentAt (later arrival on a tie), every one counted, latest receipt', () => {
    const ids = ['a', 'b', 'c'];
    const arb = fc.array(
      fc.record({
        d: fc.integer({ min: 0, max: 2 }),
        sent: fc.integer({ min: 0, max: 5 }),
        recv: fc.integer({ min: 0, max: 50 }),
        fw: fc.string({ maxLength: 3 }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        // In arrival order, so receipt times never go backwards.
        let received = 0;
        const input = rows.map((r) =>
          hb({ deviceId: ids[r.d], firmwareVersion: r.fw, sentAt: new Date(r.sent * 1000), receivedAt: new Date((received += r.recv) * 1000) }),
        );
        const out = new Map(collapseHeartbeats(input).map((c) => [c.deviceId, c]));
        expect(out.size).toBe(new Set(input.map((h) => h.deviceId)).size);
        for (const [id, c] of out) {
          const mine = input.filter((h) => h.deviceId === id);
          const newest = Math.max(...mine.map((h) => h.sentAt.getTime()));
          const winner = mine.filter((h) => h.sentAt.getTime() === newest).pop()!;
          expect(c).toMatchObject({ firmwareVersion: winner.firmwareVersion, sentAt: winner.sentAt, receivedAt: winner.receivedAt, count: mine.length });
          expect(c.lastReceivedAt.getTime()).toBe(Math.max(...mine.map((h) => h.receivedAt.getTime())));
        }
      }),
    );
  });

  it('keeps an address or battery level an older heartbeat of the batch gave when the newest gives none, as separate batches do', () => {
    const out = collapseHeartbeats([
      hb({ firmwareVersion: 'a', ipAddress: '10.9.9.9', batteryPercent: 40 }),
      hb({ firmwareVersion: 'b', sentAt: new Date('2026-01-01T00:00:02Z') }),
      hb({ firmwareVersion: 'c', sentAt: new Date('2026-01-01T00:00:03Z'), batteryPercent: 38 }),
    ]);
    expect(out[0]).toMatchObject({ firmwareVersion: 'c', ipAddress: '10.9.9.9', batteryPercent: 38, count: 3 });
  });

  it('lets the later arrival win a tie on sentAt', () => {
    const out = collapseHeartbeats([hb({ firmwareVersion: 'a' }), hb({ firmwareVersion: 'b' })]);
    expect(out[0].firmwareVersion).toBe('b');
  });
});

describe('planHeartbeatBatch', () => {
  it('applies a newer heartbeat and records the firmware change', () => {
    const plan = planHeartbeatBatch(collapseHeartbeats([hb({ firmwareVersion: '2.0' })]), known());
    expect(plan.updates).toEqual([expect.objectContaining({ id: A, applies: true })]);
    expect(plan.firmwareChanges).toEqual([{ deviceId: A, fromVersion: '1.0', toVersion: '2.0' }]);
  });

  it('leaves the inventory row alone for a heartbeat with the firmware it already has', () => {
    const plan = planHeartbeatBatch(collapseHeartbeats([hb({ firmwareVersion: '1.0' })]), known());
    expect(plan.updates).toEqual([expect.objectContaining({ id: A, applies: true })]);
    expect(plan.firmwareChanges).toEqual([]);
  });

  it('lists inventory row changes in id order', () => {
    const ids = ['00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000b', A];
    const state = new Map(ids.map((id) => [id, { id, firmwareVersion: '1.0', serialNumber: 'SN', lastHeartbeatSentAt: null, lastHeartbeatClockAhead: false }]));
    const plan = planHeartbeatBatch(collapseHeartbeats(ids.map((deviceId) => hb({ deviceId, firmwareVersion: '2.0' }))), state);
    expect(plan.firmwareChanges.map((c) => c.deviceId)).toEqual([...ids].sort());
  });

  it('marks an older heartbeat seen without applying it', () => {
    const plan = planHeartbeatBatch(collapseHeartbeats([hb({ firmwareVersion: '0.9' })]), known({ lastHeartbeatSentAt: new Date('2026-06-01T00:00:00Z') }));
    expect(plan.updates).toEqual([expect.objectContaining({ applies: false })]);
    expect(plan.firmwareChanges).toEqual([]);
  });

  it('turns an unknown id into a not_registered sighting', () => {
    const plan = planHeartbeatBatch(collapseHeartbeats([hb({})]), new Map());
    expect(plan.sightings).toEqual([expect.objectContaining({ claimedDeviceId: A, reason: 'not_registered' })]);
    expect(plan.updates).toEqual([]);
  });

  it('turns a serial mismatch into a sighting and leaves the device alone', () => {
    const plan = planHeartbeatBatch(collapseHeartbeats([hb({ serialNumber: 'OTHER', firmwareVersion: '9' })]), known());
    expect(plan.sightings).toEqual([expect.objectContaining({ reason: 'serial_mismatch' })]);
    expect(plan.updates).toEqual([]);
    expect(plan.firmwareChanges).toEqual([]);
  });
});
