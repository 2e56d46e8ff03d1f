import fc from 'fast-check';
import * as semver from 'semver';
import { compareVersions, maxVersion } from './compare';
import { parseVersion } from './version';

// Generators. Small numbers make equal parts, and so ties, common.
const num = fc.nat({ max: 12 });
const digits = fc.oneof(num.map(String), fc.constantFrom('0', '00', '07', '010', '4107600010'));
const dotted = (max: number) => fc.array(digits, { minLength: 1, maxLength: max }).map((p) => p.join('.'));
const numericVersion = dotted(5);
const letter = fc.constantFrom('A', 'B', 'c', 'L', 'R', 'U', 'D');
const prerelease = fc
  .array(fc.oneof(fc.constantFrom('alpha', 'beta', 'rc', 'RC', 'x-y', 'a1'), num.map(String)), { minLength: 1, maxLength: 3 })
  .filter((ids) => !(ids.length === 1 && /^\d+$/.test(ids[0])))
  .map((ids) => ids.join('.'));
const withSuffix = fc
  .tuple(dotted(4), fc.option(fc.oneof(prerelease, fc.nat({ max: 999999 }).map(String)), { nil: undefined }))
  .map(([v, s]) => (s === undefined ? v : `${v}-${s}`));
/** One generator per vendor shape, so that draws from one of them always share a scheme. */
const shapes = [
  withSuffix,
  fc.tuple(dotted(3), letter).map(([n, l]) => n + l), // 2.6A
  fc.tuple(letter, fc.option(dotted(3), { nil: undefined })).map(([l, n]) => (n === undefined ? l : `${l}.${n}`)), // B.06.18, N
  fc.tuple(letter, dotted(2), letter, fc.option(num, { nil: undefined })).map(([a, n, b, m]) => `${a}${n}${b}${m ?? ''}`), // R4.1L1
  fc.tuple(digits, letter, digits).map(([a, l, b]) => `${a}${l}${b}`), // 012U000061, 22D19
  fc.tuple(fc.constantFrom('BT', 'bt', 'BT '), digits).map(([w, n]) => w + n), // BT03
  fc.tuple(dotted(2), fc.constantFrom('_Build_', ' Build ', '.build.'), digits).map(([v, w, b]) => `${v}${w}${b}`), // 2023.3_Build_9342
];
const anyVersion = fc.oneof(...shapes);
const oneSchemeVersions = (n: number) => fc.oneof(...shapes.map((s) => fc.array(s, { minLength: n, maxLength: n })));
/** Valid semver whose pre-release is absent or not one all-digit identifier: the subset where the orders agree. */
const semverComparableString = fc
  .tuple(num, num, num, fc.option(prerelease, { nil: undefined }), fc.option(fc.constantFrom('build.1', 'sha.5114f85', '001'), { nil: undefined }))
  .map(([a, b, c, pre, meta]) => `${a}.${b}.${c}${pre ? `-${pre}` : ''}${meta ? `+${meta}` : ''}`);

describe('compareVersions', () => {
  it.each([
    ['8.00.01', '8.01.00', -1],
    ['8.00.01', '8.0.1', 0],
    ['1.0', '1.0.0', 0],
    ['1', '1.0.0.0', 0],
    ['1.2', '1.2.0.1', -1],
    ['2.4.1', '2.4.10', -1],
    ['1.2.3.4567', '1.2.3.999', 1],
    ['4107600010.23', '4107600010.3', 1],
    ['99999999999999999999.1', '99999999999999999998.9', 1],
    ['v2.4.1', '2.4.1', 0],
    ['1.0.0-rc.1', '1.0.0', -1],
    ['1.0.0-rc.1', '1.0.0-rc.2', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-beta.11', '1.0.0-beta.2', 1],
    ['1.0.0+a', '1.0.0+b', 0],
    ['5.17.1', '5.17.1-754993421', -1],
    ['5.17.1-754993421', '5.17.1-754993500', -1],
    ['5.17.1-754993421', '5.17.2', -1],
    ['5.17.1-rc.1', '5.17.1-754993421', -1],
    ['2.6A', '2.6B', -1],
    ['2.6a', '2.6A', 0],
    ['2.6A', '2.6A1', -1],
    ['2.5Z', '2.6A', -1],
    ['B.06.18', 'B.06.2', 1],
    ['B.02', 'C.02', -1],
    ['B.06.18', 'C.02', -1],
    ['N', 'N.0', 0],
    ['M', 'N', -1],
    ['R4.1L1', 'R4.1L2', -1],
    ['R4.1L1', 'R4.2L0', -1],
    ['L81', 'L82', -1],
    ['L81', 'L081', 0],
    ['012U000061', '028U00093', -1],
    ['22D19', 'v22D28', -1],
    ['BT03', 'BT04', -1],
    ['HD 16', 'HD23', -1],
    ['SV20.1', 'SV23.0', -1],
    ['2023.3_Build_9342', '2023.3_Build_10000', -1],
    ['2023.3_Build_9342', '2023.4_Build_1', -1],
    ['1.1.3 MR Build 11', '1.1.3 MR Build 9', 1],
  ])('orders %j against %j as %d', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
    expect(compareVersions(b, a)).toBe(-expected || 0);
  });

  it.each([
    ['L82', '028U000061'],
    ['2.6', '2.6A'],
    ['2.6.1', 'B.06'],
    ['BT03', 'HD03'],
    ['BT03', '3.0'],
    ['1.1.3', '1.1.3 MR Build 11'],
    ['2023.3_Build_9342', '2023.3'],
    ['1.0.0-rc.1', 'B.02'],
    ['2.4.1', 'not a version'],
    ['', ''],
  ])('answers null (not comparable) for %j against %j', (a, b) => {
    expect(compareVersions(a, b)).toBeNull();
    expect(compareVersions(b, a)).toBeNull();
  });

  it('departs from semver only for a single numeric suffix, which it reads as a build number', () => {
    expect(semver.compare('1.0.0-1', '1.0.0')).toBe(-1);
    expect(compareVersions('1.0.0-1', '1.0.0')).toBe(1);
  });
});

describe('compareVersions properties', () => {
  it('is reflexive: every version equals itself', () => {
    fc.assert(fc.property(anyVersion, (v) => compareVersions(v, v) === 0));
  });

  it('is antisymmetric: swapping the arguments negates the answer (null stays null)', () => {
    fc.assert(
      fc.property(anyVersion, anyVersion, (a, b) => {
        const ab = compareVersions(a, b);
        const ba = compareVersions(b, a);
        return ab === null ? ba === null : ba === (-ab || 0);
      }),
    );
  });

  it('is transitive within a scheme: a <= b and b <= c imply a <= c', () => {
    fc.assert(
      fc.property(oneSchemeVersions(3), ([a, b, c]) => {
        const ab = compareVersions(a, b);
        const bc = compareVersions(b, c);
        const ac = compareVersions(a, c);
        if (ab === null || bc === null || ac === null) return false;
        if (ab <= 0 && bc <= 0) return ac <= 0 && (ab === 0 && bc === 0 ? ac === 0 : true);
        if (ab >= 0 && bc >= 0) return ac >= 0;
        return true;
      }),
      { numRuns: 3000 },
    );
  });

  it('is total within a scheme and null exactly across schemes', () => {
    fc.assert(
      fc.property(anyVersion, anyVersion, (a, b) => {
        const sameScheme = parseVersion(a)!.scheme === parseVersion(b)!.scheme;
        return (compareVersions(a, b) !== null) === sameScheme;
      }),
      { numRuns: 2000 },
    );
  });

  it('makes comparability transitive: a~b and b~c imply a~c', () => {
    fc.assert(
      fc.property(anyVersion, anyVersion, anyVersion, (a, b, c) => {
        if (compareVersions(a, b) === null || compareVersions(b, c) === null) return true;
        return compareVersions(a, c) !== null;
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with semver.compare on valid semver strings whose pre-release is not one numeric identifier', () => {
    fc.assert(
      fc.property(semverComparableString, semverComparableString, (a, b) => {
        expect(semver.valid(a)).not.toBeNull();
        return compareVersions(a, b) === semver.compare(a, b);
      }),
      { numRuns: 3000 },
    );
  });

  it('treats missing trailing numeric parts as zeros', () => {
    fc.assert(fc.property(numericVersion, fc.nat({ max: 3 }), (v, extra) => compareVersions(v, v + '.0'.repeat(extra)) === 0));
  });

  it('never throws on arbitrary strings and always answers -1, 0, 1 or null', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ unit: 'binary' }), (a, b) => {
        const results = [compareVersions(a, b), compareVersions(b, a), compareVersions(a, a)];
        return results.every((r) => r === null || r === -1 || r === 0 || r === 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maxVersion', () => {
  it('returns the highest version, as given', () => expect(maxVersion(['1.5', '2.1', '2.0.9'])).toBe('2.1'));

  it('compares numbers by value, not as text', () => expect(maxVersion(['2.9', '2.10', '2.1'])).toBe('2.10'));

  it('ignores versions of a scheme other than the one most of the list uses', () => {
    expect(maxVersion(['1.5', 'L81', '2.1'])).toBe('2.1');
    expect(maxVersion(['L80', 'L81', '9.9'])).toBe('L81');
  });

  it('breaks a tie between schemes by the scheme listed first', () => expect(maxVersion(['L81', '9.9'])).toBe('L81'));

  it('returns the first of equal versions', () => expect(maxVersion(['1.0', '1.0.0'])).toBe('1.0'));

  it('skips strings that are not versions', () => expect(maxVersion(['n/a', '', '3.0 and prior', '1.2'])).toBe('1.2'));

  it('returns null when nothing parses', () => {
    expect(maxVersion(['n/a', ''])).toBeNull();
    expect(maxVersion([])).toBeNull();
  });

  it('returns a listed version that no other version of its scheme exceeds', () => {
    fc.assert(
      fc.property(fc.array(anyVersion, { minLength: 1, maxLength: 8 }), (list) => {
        const best = maxVersion(list);
        if (best === null || !list.includes(best)) return false;
        return list.every((v) => (compareVersions(v, best) ?? -1) <= 0);
      }),
    );
  });
});
