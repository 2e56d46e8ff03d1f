import { compareRevisionNumbers, compareTimestamps, inRevisionOrder, majorOf } from './revision-order';

describe('compareTimestamps', () => {
  it.each([
    ['2021-07-21T10:00:00.000Z', '2021-07-22T10:00:00.000Z', -1],
    ['2021-07-22T10:00:00.000Z', '2021-07-21T10:00:00.000Z', 1],
    ['2021-07-21T10:00:00Z', '2021-07-21T10:00:00.000Z', 0],
    // Beyond milliseconds: the TC's documents 6-1-14-08 and 6-1-14-19 depend on it.
    ['2021-07-21T10:00:00.000Z', '2021-07-21T10:00:00.00010Z', -1],
    ['2021-07-21T10:00:00.00000Z', '2021-07-21T10:00:00.000Z', 0],
    // Offsets count: 12:00+02:00 is 10:00Z.
    ['2021-07-21T12:00:00+02:00', '2021-07-21T10:00:00Z', 0],
    ['2021-07-21T11:00:00+02:00', '2021-07-21T10:00:00Z', -1],
    ['2021-07-21T09:30:00-01:00', '2021-07-21T10:00:00Z', 1],
    ['0099-01-01T00:00:00Z', '1999-01-01T00:00:00Z', -1],
  ])('%s against %s: %d', (a, b, expected) => {
    expect(Math.sign(compareTimestamps(a, b))).toBe(expected);
  });

  it('calls values that are not timestamps equal, leaving them to the schema test', () => {
    expect(compareTimestamps('yesterday', '2021-07-21T10:00:00Z')).toBe(0);
  });
});

describe('compareRevisionNumbers', () => {
  it.each([
    ['1', '2', -1],
    ['10', '9', 1],
    ['99999999999999999999', '100000000000000000000', -1],
    ['1.10.0', '1.9.0', 1],
    ['2.0.0', '2.0.0+build', 0],
    ['1', '2.0.0', -1],
    ['3', '2.5.0', 1],
  ])('%s against %s: %d', (a, b, expected) => {
    expect(Math.sign(compareRevisionNumbers(a, b))).toBe(expected);
  });
});

describe('majorOf', () => {
  it.each([
    ['0', 0n],
    ['12', 12n],
    ['2.1.0', 2n],
    ['1.0.0-rc.1+b7', 1n],
    ['v1', null],
    ['01', null],
  ])('%s -> %s', (number, expected) => {
    expect(majorOf(number)).toBe(expected);
  });
});

describe('inRevisionOrder', () => {
  it('orders by date, and by number where dates are equal, whatever order the items are listed in', () => {
    const day1 = '2021-07-21T10:00:00.000Z';
    const day2 = '2021-07-22T10:00:00.000Z';
    const listed = [
      { date: day2, number: '10' },
      { date: day1, number: '2' },
      { date: day2, number: '9' },
      { date: day1, number: '1' },
    ];
    expect(inRevisionOrder(listed).map((r) => r.number)).toEqual(['1', '2', '9', '10']);
    expect(listed.map((r) => r.number)).toEqual(['10', '2', '9', '1']);
  });
});
