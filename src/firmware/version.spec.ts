import { parseVersion, versionProblem } from './version';

describe('parseVersion', () => {
  it.each([
    ['2.4.1', 'numeric'],
    ['1.0.0-rc.1', 'numeric'],
    ['1.2', 'numeric'],
    ['1.2.3.4567', 'numeric'],
    ['8.00.01', 'numeric'],
    ['4107600010.23', 'numeric'],
    ['5.17.1-754993421', 'numeric'],
    ['v2.4.1', 'numeric'],
    ['1.0.0+build.7', 'numeric'],
    ['3', 'numeric'],
    ['2.6A', 'vendor:NA'],
    ['B.06.18', 'vendor:A'],
    ['R4.1L1', 'vendor:ANA'],
    ['L81', 'vendor:A'],
    ['N', 'vendor:A'],
    ['012U000061', 'vendor:NA'],
    ['22D19', 'vendor:NA'],
    ['v22D28', 'vendor:NA'],
    ['2023.3_Build_9342', 'vendor:N[build]'],
    ['1.1.3 MR Build 11', 'vendor:N[mr][build]'],
    ['BT03', 'vendor:[bt]'],
    ['HD 16', 'vendor:[hd]'],
    ['SV20.1', 'vendor:[sv]'],
    ['X.01', 'vendor:A'],
  ])('reads %j with scheme %s', (raw, scheme) => {
    expect(parseVersion(raw)?.scheme).toBe(scheme);
  });

  it('keeps the raw text exactly and a trimmed, space-collapsed text', () => {
    const v = parseVersion('  HD   16 ');
    expect(v?.raw).toBe('  HD   16 ');
    expect(v?.text).toBe('HD 16');
  });

  it('reads numbers by value: leading zeros and trailing zero parts are dropped', () => {
    expect(parseVersion('08.00.010.0')?.segments).toEqual([{ kind: 'number', parts: ['8', '0', '10'] }]);
  });

  it('reads a single all-digit suffix after "-" as a vendor build number, not a pre-release', () => {
    const v = parseVersion('5.17.1-754993421');
    expect(v?.build).toBe('754993421');
    expect(v?.prerelease).toEqual([]);
  });

  it('reads a suffix with a letter or several identifiers as a semver pre-release', () => {
    expect(parseVersion('1.0.0-rc.1')?.prerelease).toEqual(['rc', '1']);
    expect(parseVersion('1.0.0-0.3.7')?.prerelease).toEqual(['0', '3', '7']);
    expect(parseVersion('1.0.0-0.3.7')?.build).toBeNull();
  });

  it('drops a leading v glued to a digit', () => {
    expect(parseVersion('v22D28')?.segments).toEqual(parseVersion('22D28')?.segments);
  });

  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['May 2018', 'month'],
    ['8/30/2024', 'date'],
    ['2018-05-01', 'date'],
    ['2.3.6 and below', 'prose'],
    ['9.x model 35700BAX3', 'wildcard'],
    ['5.x.x', 'wildcard'],
    ['12.2.x.x', 'wildcard'],
    ['x', 'wildcard'],
    ['All versions', 'prose'],
    ['Brilliance', 'prose'],
    ['<2.0', 'contains "<"'],
    ['(v9.x)', 'contains "("'],
    ['1.0 2.0', 'separated by a space'],
    ['1..2', 'stray separator'],
    ['-1.2A', 'stray separator'],
    ['BT', 'has no number'],
    ['1'.repeat(65), 'longer than 64'],
  ])('refuses %j, saying it %s', (raw, problem) => {
    expect(parseVersion(raw)).toBeNull();
    expect(versionProblem(raw)).toContain(problem);
  });

  it('answers null, not an exception, for input that is not a string', () => {
    expect(parseVersion(undefined as unknown as string)).toBeNull();
    expect(parseVersion(42 as unknown as string)).toBeNull();
  });
});
