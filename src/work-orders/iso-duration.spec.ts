import { addIsoDuration, isIsoDuration } from './iso-duration';

const at = new Date('2026-01-31T10:00:00Z');

describe('ISO 8601 durations of the remediation policy', () => {
  it.each([
    ['P2D', '2026-02-02T10:00:00.000Z'],
    ['P14D', '2026-02-14T10:00:00.000Z'],
    ['P1W', '2026-02-07T10:00:00.000Z'],
    ['PT12H', '2026-01-31T22:00:00.000Z'],
    ['PT90M', '2026-01-31T11:30:00.000Z'],
    ['PT1.5S', '2026-01-31T10:00:01.500Z'],
    ['P1DT1H', '2026-02-01T11:00:00.000Z'],
    ['P1M', '2026-02-28T10:00:00.000Z'],
    ['P1Y1M', '2027-02-28T10:00:00.000Z'],
    ['P90D', '2026-05-01T10:00:00.000Z'],
  ])('%s after 31 Jan 2026 10:00 UTC is %s (months clamp to the last day)', (duration, expected) => {
    expect(addIsoDuration(at, duration)?.toISOString()).toBe(expected);
  });

  it('adds a month on a leap year to 29 Feb', () => {
    expect(addIsoDuration(new Date('2028-01-31T00:00:00Z'), 'P1M')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each(['', 'P', 'PT', '2D', 'P2', 'P-2D', 'P2DT', 'p2d', 'P2D ', 'PT1H2D'])('refuses %p', (text) => {
    expect(isIsoDuration(text)).toBe(false);
    expect(addIsoDuration(at, text)).toBeNull();
  });

  it('refuses what is not text', () => {
    expect(isIsoDuration(2)).toBe(false);
    expect(isIsoDuration(null)).toBe(false);
  });
});
