import fc from 'fast-check';
import { isIsoDate, isIsoInstant } from './iso-date';

describe('isIsoInstant', () => {
  it.each([
    '2026-02-28T13:45:00Z',
    '2024-02-29T00:00:00Z',
    '2026-02-28T13:45Z',
    '2026-02-28T13:45:00.123456Z',
    '2026-02-28T13:45:00+14:00',
    '2026-02-28T13:45:00-09:30',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ])('accepts %s', (text) => expect(isIsoInstant(text)).toBe(true));

  it.each([
    '2023-02-29T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '0000-01-01T00:00:00Z',
    '2024-W01',
    '2024-001',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T00:00:00',
    '2026-01-01',
    '2026-01-01T00:00:00+14:01',
    '2026-01-01T00:00:00+15:00',
    '2026-01-01T00:00:00.1234567Z',
    '+275760-09-13T00:00:00.000Z',
    '2026-01-01t00:00:00z',
    ' 2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00Z\n',
    '',
  ])('refuses %j', (text) => expect(isIsoInstant(text)).toBe(false));

  it('refuses what is not a string', () => {
    for (const value of [null, undefined, 0, new Date(), ['2026-01-01T00:00:00Z']]) expect(isIsoInstant(value)).toBe(false);
  });

  it('accepts exactly the instants JavaScript reads back as the same calendar fields (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T12:00:00Z`;
        const date = new Date(Date.UTC(y, m - 1, d, 12));
        date.setUTCFullYear(y);
        expect(isIsoInstant(text)).toBe(date.getUTCMonth() === m - 1 && date.getUTCDate() === d);
      }),
    );
  });
});

describe('isIsoDate', () => {
  it('accepts a real day and refuses any other text', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const text of ['2023-02-29', '0000-01-01', '2026-1-1', '2026-01-01T00:00:00Z', '2024-W01']) expect(isIsoDate(text)).toBe(false);
  });
});
