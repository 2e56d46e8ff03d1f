import fc from 'fast-check';
import { parseSentAt } from './sent-at';

describe('parseSentAt', () => {
  it.each([
    ['2026-11-28T11:59:00Z', '2026-11-28T11:59:00.000Z'],
    ['2026-11-28T11:59Z', '2026-11-28T11:59:00.000Z'],
    ['2026-11-28T11:59:00.5Z', '2026-11-28T11:59:00.500Z'],
    ['2026-11-28T11:59:59.999999999Z', '2026-11-28T11:59:59.999Z'],
    ['2026-11-28T13:59:00+02:00', '2026-11-28T11:59:00.000Z'],
    ['2026-11-28T06:29:00-0530', '2026-11-28T11:59:00.000Z'],
    ['2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(parseSentAt(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['February 30', '2025-02-30T10:00:00Z'],
    ['February 29 of a common year', '2023-02-29T00:00:00Z'],
    ['February 29 of a century that is no leap year', '1900-02-29T00:00:00Z'],
    ['April 31', '2025-04-31T00:00:00Z'],
    ['day 0', '2025-04-00T00:00:00Z'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['month 0', '2025-00-01T00:00:00Z'],
    ['hour 24', '2025-01-01T24:00:00Z'],
    ['minute 60', '2025-01-01T23:60:00Z'],
    ['a leap second', '2016-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2025-01-01T12:00:00+24:00'],
    ['an offset minute of 60', '2025-01-01T12:00:00+05:60'],
    ['no time zone', '2025-01-01T12:00:00'],
    ['a date alone', '2025-01-01'],
    ['a free-form date', 'Tue, 28 Nov 2026 11:59:00 GMT'],
    ['a space for the T', '2025-01-01 12:00:00Z'],
  ])('refuses %s', (_name, text) => {
    expect(parseSentAt(text)).toBeNull();
  });

  it('accepts exactly the components that survive a round trip through the calendar', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1000, max: 9999 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 25 }),
          minute: fc.integer({ min: 0, max: 61 }),
          second: fc.integer({ min: 0, max: 61 }),
        }),
        ({ year, month, day, hour, minute, second }) => {
          const d = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
          const survives =
            d.getUTCFullYear() === year &&
            d.getUTCMonth() === month - 1 &&
            d.getUTCDate() === day &&
            d.getUTCHours() === hour &&
            d.getUTCMinutes() === minute &&
            d.getUTCSeconds() === second;
          const parsed = parseSentAt(`${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}Z`);
          expect(parsed?.getTime() ?? null).toBe(survives ? d.getTime() : null);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads back every real UTC instant it is given, and refuses every day past the end of its month', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        expect(parseSentAt(d.toISOString())?.getTime()).toBe(d.getTime());
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00Z`;
        expect(parseSentAt(text) !== null).toBe(day <= daysInMonth);
      }),
    );
  });
});
