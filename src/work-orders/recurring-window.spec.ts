import { nextSlot, recurringWindowProblem, RecurringWindow } from './recurring-window';

const tuesdayNights: RecurringWindow = { rrule: 'FREQ=WEEKLY;BYDAY=TU;BYHOUR=22;BYMINUTE=0;BYSECOND=0', duration: 'PT4H', timeZone: 'Europe/Berlin' };

describe('recurring maintenance windows', () => {
  it('proposes the next Tuesday 22:00 Berlin time: 21:00Z in winter', () => {
    expect(nextSlot(tuesdayNights, new Date('2026-03-05T10:00:00Z'))).toEqual({
      start: new Date('2026-03-10T21:00:00Z'),
      end: new Date('2026-03-11T01:00:00Z'),
    });
  });

  it('and 20:00Z in summer, across the change to daylight saving time', () => {
    expect(nextSlot(tuesdayNights, new Date('2026-03-25T10:00:00Z'))?.start).toEqual(new Date('2026-03-31T20:00:00Z'));
  });

  it('proposes tonight when tonight has not started, next week once it has', () => {
    expect(nextSlot(tuesdayNights, new Date('2026-03-10T20:59:00Z'))?.start).toEqual(new Date('2026-03-10T21:00:00Z'));
    expect(nextSlot(tuesdayNights, new Date('2026-03-10T21:00:01Z'))?.start).toEqual(new Date('2026-03-17T21:00:00Z'));
  });

  it('follows the zone across the date line and a monthly rule', () => {
    const w: RecurringWindow = { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=2', duration: 'PT2H', timeZone: 'Pacific/Auckland' };
    // 1 April 02:00 in Auckland (NZDT, +13:00) is 31 March 13:00Z.
    expect(nextSlot(w, new Date('2026-03-20T00:00:00Z'))?.start).toEqual(new Date('2026-03-31T13:00:00Z'));
  });

  it('answers null for a rule that yields no slot', () => {
    expect(nextSlot({ ...tuesdayNights, rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, new Date('2026-03-05T10:00:00Z'))).toBeNull();
  });

  it.each<[Partial<RecurringWindow>, RegExp]>([
    [{ timeZone: 'Mars/Olympus' }, /^timeZone: /],
    [{ timeZone: '' }, /^timeZone: /],
    [{ duration: '4 hours' }, /^duration: must be an ISO/],
    [{ duration: 'P8D' }, /^duration: must be longer than zero and at most 7 days/],
    [{ duration: 'PT0S' }, /^duration: /],
    [{ rrule: 'FREQ=SECONDLY' }, /^rrule: FREQ must be/],
    [{ rrule: 'BYHOUR=22' }, /^rrule: FREQ must be/],
    [{ rrule: 'FREQ=WEEKLY;UNTIL=20270101T000000Z' }, /^rrule: UNTIL and COUNT/],
    [{ rrule: 'FREQ=WEEKLY;COUNT=3' }, /^rrule: UNTIL and COUNT/],
    [{ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }, /^rrule: yields no slot/],
    [{ rrule: 'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY' }, /^rrule: give the RRULE value only/],
    [{ rrule: 'RRULE:FREQ=DAILY' }, /^rrule: give the RRULE value only/],
  ])('refuses %j naming the field', (change, message) => {
    expect(recurringWindowProblem({ ...tuesdayNights, ...change })).toMatch(message);
  });

  it('accepts a good window', () => {
    expect(recurringWindowProblem(tuesdayNights)).toBeNull();
  });
});
