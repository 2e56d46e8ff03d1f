import fc from 'fast-check';
import { CollapsedHeartbeat, collapseHeartbeats } from './heartbeat-collapse';
import { Heartbeat } from './heartbeat-message';
import { isNewer, isNewerThanStored } from './heartbeat-order';
import { contestedDeviceIds, mergeSightings, settleSerialClaims } from './serial-claims';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const hb = (over: Partial<Heartbeat>): Heartbeat => ({
  deviceId: A,
  registrable: true,
  firmwareVersion: '1.0',
  sentAt: at(0),
  receivedAt: at(1),
  serialNumber: null,
  batteryPercent: null,
  ipAddress: null,
  ...over,
});

/** Collapse, then settle against the registered serials: what the repository does before its statement. */
const settle = (heartbeats: Heartbeat[], registered = new Map([[A, 'SN']])) => settleSerialClaims(collapseHeartbeats(heartbeats), registered);

describe('collapsing heartbeats by serial claim', () => {
  it('keeps an impostor before a good heartbeat of the same device as its own sighting', () => {
    const { heartbeats, mismatches } = settle([
      hb({ firmwareVersion: '6.6.6', serialNumber: 'EVIL', receivedAt: at(1) }),
      hb({ firmwareVersion: '8.01.02', receivedAt: at(2) }),
    ]);
    expect(heartbeats).toEqual([expect.objectContaining({ deviceId: A, firmwareVersion: '8.01.02', count: 1 })]);
    expect(mismatches).toEqual([
      { claimedDeviceId: A, reason: 'serial_mismatch', heartbeat: expect.objectContaining({ firmwareVersion: '6.6.6', serialNumber: 'EVIL', count: 1 }) },
    ]);
  });

  it('never lets a later impostor take the place, or the count, of a good heartbeat', () => {
    const { heartbeats, mismatches } = settle([
      hb({ firmwareVersion: '8.01.02', serialNumber: 'SN', receivedAt: at(1), sentAt: at(1) }),
      hb({ firmwareVersion: '8.01.03', receivedAt: at(2), sentAt: at(2) }),
      hb({ firmwareVersion: '6.6.6', serialNumber: 'EVIL', receivedAt: at(3), sentAt: at(3) }),
      hb({ firmwareVersion: '6.6.7', serialNumber: 'EVIL-2', receivedAt: at(4), sentAt: at(4) }),
    ]);
    expect(heartbeats).toEqual([expect.objectContaining({ firmwareVersion: '8.01.03', count: 2, lastReceivedAt: at(2) })]);
    expect(mismatches).toEqual([
      expect.objectContaining({ heartbeat: expect.objectContaining({ firmwareVersion: '6.6.7', serialNumber: 'EVIL-2', count: 2, lastReceivedAt: at(4) }) }),
    ]);
  });

  it('folds every claim of an unknown or unregistrable id into one entry that counts them all', () => {
    const ghost = 'pump-7';
    const { heartbeats, mismatches } = settle([
      hb({ deviceId: B, serialNumber: 'X' }),
      hb({ deviceId: B }),
      hb({ deviceId: ghost, registrable: false, serialNumber: 'Y' }),
      hb({ deviceId: ghost, registrable: false, serialNumber: 'Z' }),
    ]);
    expect(heartbeats.map((h) => [h.deviceId, h.count]).sort()).toEqual(
      [
        [B, 2],
        [ghost, 2],
      ].sort(),
    );
    expect(mismatches).toEqual([]);
  });

  it('asks for the registered serial only of registrable ids with more than one claim', () => {
    const batch = collapseHeartbeats([
      hb({ deviceId: B }),
      hb({ serialNumber: 'X' }),
      hb({}),
      hb({ deviceId: 'pump-7', registrable: false }),
      hb({ deviceId: 'pump-7', registrable: false, serialNumber: 'Q' }),
    ]);
    expect(contestedDeviceIds(batch)).toEqual([A]);
  });

  it('leaves a batch in which each device claims one serial as it is: one entry per device', () => {
    const batch = collapseHeartbeats([hb({ serialNumber: 'X' }), hb({ serialNumber: 'X' }), hb({ deviceId: B }), hb({ deviceId: B })]);
    expect(batch.map((h) => [h.deviceId, h.count, h.contested])).toEqual([
      [A, 2, false],
      [B, 2, false],
    ]);
    expect(settleSerialClaims(batch, new Map()).heartbeats).toEqual(batch);
  });

  it('matches the definition for any batch: own heartbeats fold into the newest, impostors into one sighting, each counted once', () => {
    const serials = [null, 'SN', 'X', 'Y'];
    const arb = fc.array(
      fc.record({
        d: fc.integer({ min: 0, max: 1 }),
        serial: fc.integer({ min: 0, max: 3 }),
        sent: fc.integer({ min: 0, max: 5 }),
        gap: fc.integer({ min: 1, max: 9 }),
      }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arb, (rows) => {
        let received = 0;
        const input = rows.map((r) =>
          hb({ deviceId: [A, B][r.d], serialNumber: serials[r.serial], firmwareVersion: `${r.sent}`, sentAt: at(r.sent), receivedAt: at((received += r.gap)) }),
        );
        const { heartbeats, mismatches } = settle(input);
        // The statement that follows judges each remaining entry against the registered serial.
        const own = (h: { deviceId: string; serialNumber: string | null }) => h.deviceId !== A || h.serialNumber === null || h.serialNumber === 'SN';
        for (const id of [A, B]) {
          const mine = input.filter((h) => h.deviceId === id);
          const entries = heartbeats.filter((h) => h.deviceId === id);
          expect(entries.length).toBeLessThanOrEqual(1);
          const good = mine.filter(own);
          const bad = mine.filter((h) => !own(h));
          const flagged = [...mismatches.filter((s) => s.claimedDeviceId === id).map((s) => s.heartbeat), ...entries.filter((h) => !own(h))];
          expect(flagged.reduce((n, h) => n + h.count, 0)).toBe(bad.length);
          const applied = entries.filter(own);
          expect(applied.reduce((n, h) => n + h.count, 0)).toBe(good.length);
          if (good.length) {
            const newest = Math.max(...good.map((h) => h.sentAt.getTime()));
            const winner = good.filter((h) => h.sentAt.getTime() === newest).pop()!;
            expect(applied[0]).toMatchObject({ receivedAt: winner.receivedAt, lastReceivedAt: good[good.length - 1].receivedAt });
          }
        }
      }),
    );
  });
});

describe('ordering heartbeats whose device clock was ahead', () => {
  it('lets a heartbeat that arrived later win over one whose sentAt was ahead, though its own sentAt is earlier', () => {
    const ahead = hb({ firmwareVersion: 'ahead', sentAt: at(10), receivedAt: at(10), clockAhead: true });
    const truthful = hb({ firmwareVersion: 'true', sentAt: at(9), receivedAt: at(11) });
    expect(isNewer(truthful, ahead)).toBe(true);
    expect(collapseHeartbeats([ahead, truthful])[0].firmwareVersion).toBe('true');
  });

  it('still orders truthful clocks by sentAt: a heartbeat that waited in a queue changes nothing', () => {
    const fresh = hb({ firmwareVersion: 'fresh', sentAt: at(10), receivedAt: at(11) });
    const queued = hb({ firmwareVersion: 'queued', sentAt: at(2), receivedAt: at(12) });
    expect(collapseHeartbeats([fresh, queued])[0].firmwareVersion).toBe('fresh');
    expect(isNewerThanStored(queued, at(10), false)).toBe(false);
  });

  it('compares the arrival of the next heartbeat with a stored time that was a receipt', () => {
    const next = hb({ sentAt: at(9), receivedAt: at(11) });
    expect(isNewerThanStored(next, at(10), true)).toBe(true);
    expect(isNewerThanStored(next, at(10), false)).toBe(false);
    expect(isNewerThanStored(next, null, false)).toBe(true);
  });
});

describe('mergeSightings', () => {
  it('leaves one sighting per id and reason, counting all', () => {
    const s = (id: string, reason: 'serial_mismatch' | 'not_registered', count: number, receivedAt: Date) => ({
      claimedDeviceId: id,
      reason,
      heartbeat: { ...hb({ deviceId: id, receivedAt, sentAt: receivedAt }), count, lastReceivedAt: receivedAt } as CollapsedHeartbeat,
    });
    const merged = mergeSightings([s(A, 'serial_mismatch', 2, at(1)), s(B, 'not_registered', 1, at(1)), s(A, 'serial_mismatch', 3, at(5))]);
    expect(merged.map((m) => [m.claimedDeviceId, m.reason, m.heartbeat.count, m.heartbeat.lastReceivedAt])).toEqual([
      [A, 'serial_mismatch', 5, at(5)],
      [B, 'not_registered', 1, at(1)],
    ]);
  });
});
