import { decisionSince, enterCell } from './decision-since';

const t = (day: number) => new Date(Date.UTC(2026, 11, day));

describe('decisionSince', () => {
  it('is the entry time for a finding that entered its cell with a new decision and the cell never changed since', () => {
    expect(decisionSince({ decision: 'scheduled', since: t(1) }, { classSince: t(3), carriedSince: null })).toEqual(t(3));
  });

  it('is the carried time for a finding that entered its cell with the decision it already had', () => {
    expect(decisionSince({ decision: 'scheduled', since: t(1) }, { classSince: t(3), carriedSince: t(2) })).toEqual(t(2));
  });

  it("is the cell's change when the cell changed decision after the finding entered it, carried or not", () => {
    expect(decisionSince({ decision: 'immediate', since: t(5) }, { classSince: t(3), carriedSince: null })).toEqual(t(5));
    expect(decisionSince({ decision: 'immediate', since: t(5) }, { classSince: t(3), carriedSince: t(2) })).toEqual(t(5));
  });

  it('is the entry (or carried) time when the cell changed in the same instant the finding entered it', () => {
    expect(decisionSince({ decision: 'immediate', since: t(3) }, { classSince: t(3), carriedSince: null })).toEqual(t(3));
    expect(decisionSince({ decision: 'immediate', since: t(3) }, { classSince: t(3), carriedSince: t(1) })).toEqual(t(1));
  });

  it('counts from the change back when the cell changed away and back again after the entry', () => {
    // Entered at day 2 as scheduled; the cell went immediate on day 4 and back to scheduled on day 6: the finding is scheduled again since day 6.
    const place = { classSince: t(2), carriedSince: null };
    expect(decisionSince({ decision: 'immediate', since: t(4) }, place)).toEqual(t(4));
    expect(decisionSince({ decision: 'scheduled', since: t(6) }, place)).toEqual(t(6));
  });
});

describe('enterCell', () => {
  const from = { cell: { decision: 'scheduled', since: t(1) }, place: { classSince: t(2), carriedSince: null } };

  it('carries the time the finding reached its decision when its new cell has the same decision', () => {
    const place = enterCell(from, { decision: 'scheduled', since: t(1) }, t(8));
    expect(place).toEqual({ classSince: t(8), carriedSince: t(2) });
    expect(decisionSince({ decision: 'scheduled', since: t(1) }, place)).toEqual(t(2));
  });

  it('carries through a second move with the same decision', () => {
    const first = enterCell(from, { decision: 'scheduled', since: t(1) }, t(8));
    const second = enterCell({ cell: { decision: 'scheduled', since: t(1) }, place: first }, { decision: 'scheduled', since: t(9) }, t(10));
    expect(second).toEqual({ classSince: t(10), carriedSince: t(2) });
  });

  it('carries nothing when the new cell has another decision: the decision counts from the move', () => {
    const place = enterCell(from, { decision: 'immediate', since: t(1) }, t(8));
    expect(place).toEqual({ classSince: t(8), carriedSince: null });
    expect(decisionSince({ decision: 'immediate', since: t(1) }, place)).toEqual(t(8));
  });

  it('carries the time of the last change of the old cell when that change came after the entry', () => {
    const changed = { cell: { decision: 'immediate', since: t(5) }, place: { classSince: t(2), carriedSince: null } };
    expect(enterCell(changed, { decision: 'immediate', since: t(1) }, t(8))).toEqual({ classSince: t(8), carriedSince: t(5) });
  });

  it('gives a finding decided for the first time its entry as the time of its decision', () => {
    expect(enterCell(null, { decision: 'defer', since: t(1) }, t(8))).toEqual({ classSince: t(8), carriedSince: null });
  });
});
