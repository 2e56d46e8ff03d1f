import { addIsoDuration, ISO_DURATION, isIsoDuration } from './iso-duration';

const at = new Date('2026-01-31T10:00:00Z');

describe('the ISO 8601 duration grammar (remediation policy and recurring windows)', () => {
  // [text, accepted, what the two readers this one replaced did with it ("work orders": its grammar, before the 7-day cap of a window)]
  it.each<[string, boolean, string]>([
    ['P2D', true, 'both accepted'],
    ['P14D', true, 'both accepted'],
    ['P90D', true, 'both accepted'],
    ['P1W', true, 'both accepted'],
    ['P1W2D', true, 'both accepted; PostgreSQL reads 9 days'],
    ['PT12H', true, 'both accepted'],
    ['PT90M', true, 'both accepted'],
    ['P0D', true, 'both accepted'],
    ['PT0S', true, 'both accepted'],
    ['P1Y2M3DT4H5M6S', true, 'both accepted'],
    ['P99999D', true, 'both accepted: five digits'],
    ['P00002D', true, 'both accepted'],
    ['P0000002D', true, 'work orders accepted; leading zeros do not count'],
    ['PT1.5S', true, 'work orders accepted; remediation newly accepts a fraction of seconds'],
    ['PT0.000001S', true, 'work orders accepted; PostgreSQL keeps microseconds'],
    ['PT604800S', true, 'work orders accepted (a week in seconds); seconds take six digits'],
    ['PT999999.5S', true, 'work orders accepted (11.6 days, over its 7-day cap)'],
    ['P99999Y99999M99999W99999DT99999H99999M999999.999999S', true, 'the largest: ends in year 112,560 from 2026'],
    ['', false, 'both refused'],
    ['P', false, 'both refused: no number'],
    ['PT', false, 'both refused: no number (PostgreSQL reads 0)'],
    ['P2DT', false, 'both refused: T without a time'],
    ['2D', false, 'both refused: no P'],
    ['P2', false, 'both refused: no designator'],
    ['p2d', false, 'both refused: lower case (so does PostgreSQL)'],
    ['P2D ', false, 'both refused: trailing space'],
    [' P2D', false, 'both refused: leading space'],
    ['P-2D', false, 'both refused: negative (PostgreSQL reads it)'],
    ['PT1H2D', false, 'both refused: days after the T'],
    ['P1H', false, 'both refused: hours before the T'],
    ['P2D1Y', false, 'both refused: parts out of order'],
    ['P1.5D', false, 'both refused: a fraction only on the seconds (PostgreSQL reads 1 day 12 h)'],
    ['PT1.5M', false, 'both refused: a fraction only on the seconds'],
    ['PT1,5S', false, 'both refused: decimal comma (PostgreSQL refuses it too)'],
    ['PT1.S', false, 'both refused: a point needs digits after it'],
    ['PT.5S', false, 'both refused: a point needs digits before it'],
    ['P0001-02-03T04:05:06', false, 'both refused: the alternative format'],
    ['P123456D', false, 'remediation refused it (five digits), work orders accepted it (338 years, over its 7-day cap)'],
    ['P999999Y', false, 'bug fixed: work orders accepted it, past JavaScript dates and PostgreSQL timestamps'],
    ['P9999999999999999D', false, 'bug fixed: work orders accepted it, its end was an invalid date'],
    ['PT1000000S', false, 'work orders accepted it, seven digits of seconds (11.6 days, over its 7-day cap)'],
  ])('%p accepted: %p (%s)', (text, accepted) => {
    expect(isIsoDuration(text)).toBe(accepted);
    expect(ISO_DURATION.test(text)).toBe(accepted);
    expect(addIsoDuration(at, text) === null).toBe(!accepted);
  });

  it('refuses what is not text', () => {
    expect(isIsoDuration(2)).toBe(false);
    expect(isIsoDuration(null)).toBe(false);
    expect(isIsoDuration(undefined)).toBe(false);
  });
});

describe('adding an ISO 8601 duration', () => {
  it.each([
    ['P2D', '2026-02-02T10:00:00.000Z'],
    ['P14D', '2026-02-14T10:00:00.000Z'],
    ['P1W', '2026-02-07T10:00:00.000Z'],
    ['P1W2D', '2026-02-09T10:00:00.000Z'],
    ['PT12H', '2026-01-31T22:00:00.000Z'],
    ['PT90M', '2026-01-31T11:30:00.000Z'],
    ['PT1.5S', '2026-01-31T10:00:01.500Z'],
    ['PT604800S', '2026-02-07T10:00:00.000Z'],
    ['P0000002D', '2026-02-02T10:00:00.000Z'],
    ['P1DT1H', '2026-02-01T11:00:00.000Z'],
    ['P90D', '2026-05-01T10:00:00.000Z'],
    ['P0D', '2026-01-31T10:00:00.000Z'],
  ])('%s after 31 Jan 2026 10:00 UTC is %s', (duration, expected) => {
    expect(addIsoDuration(at, duration)?.toISOString()).toBe(expected);
  });

  it.each([
    ['P1M', '2026-02-28T10:00:00.000Z'],
    ['P2M', '2026-03-31T10:00:00.000Z'],
    ['P3M', '2026-04-30T10:00:00.000Z'],
    ['P1Y1M', '2027-02-28T10:00:00.000Z'],
    ['P13M', '2027-02-28T10:00:00.000Z'],
    ['P1M1D', '2026-03-01T10:00:00.000Z'],
  ])('%s after 31 Jan 2026 is %s: months clamp to the last day, then days count on', (duration, expected) => {
    expect(addIsoDuration(at, duration)?.toISOString()).toBe(expected);
  });

  it('adds a month on a leap year to 29 Feb', () => {
    expect(addIsoDuration(new Date('2028-01-31T00:00:00Z'), 'P1M')?.toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('adds a year to 29 Feb to 28 Feb of the next year', () => {
    expect(addIsoDuration(new Date('2028-02-29T08:00:00Z'), 'P1Y')?.toISOString()).toBe('2029-02-28T08:00:00.000Z');
  });

  it('keeps a day that exists in the target month', () => {
    expect(addIsoDuration(new Date('2026-03-15T23:59:59.250Z'), 'P1M')?.toISOString()).toBe('2026-04-15T23:59:59.250Z');
  });

  it('ends the largest duration within the range of dates', () => {
    const end = addIsoDuration(at, 'P99999Y99999M99999W99999DT99999H99999M999999.999999S');
    expect(end?.toISOString()).toBe('+112560-04-05T01:25:39.999Z');
  });

  it.each([
    ['PT1.005S', '2026-01-31T10:00:01.005Z'],
    ['PT0.0009S', '2026-01-31T10:00:00.000Z'],
    ['PT2.9999S', '2026-01-31T10:00:02.999Z'],
  ])('%s counts whole milliseconds from its digits: %s', (duration, expected) => {
    expect(addIsoDuration(at, duration)?.toISOString()).toBe(expected);
  });

  it('does not change the date it is given', () => {
    const start = new Date(at.getTime());
    addIsoDuration(start, 'P1Y2M');
    expect(start.getTime()).toBe(at.getTime());
  });
});
