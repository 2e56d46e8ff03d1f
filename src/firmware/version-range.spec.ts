import fc from 'fast-check';
import * as semver from 'semver';
import { Containment, parseRange, rangeContains, VersionRange } from './version-range';

function range(expression: string): VersionRange {
  const r = parseRange(expression);
  if (!r.ok) throw new Error(r.error);
  return r.range;
}
const contains = (expression: string, version: string | null | undefined): Containment => rangeContains(range(expression), version);

describe('parseRange: "all" forms', () => {
  it.each(['*', 'all', 'All versions', 'ANY', ' * ', 'vers:all/*', 'vers:generic/*'])('reads %j as every version', (expr) => {
    const r = range(expr);
    expect(r.all).toBe(true);
    expect(r.canonical).toBe('*');
  });

  it.each([null, undefined, '', 'gibberish!', 'L81'])('puts version %j inside an all-versions range', (v) => {
    expect(contains('*', v)).toBe('in');
  });

  it('refuses the empty string rather than reading it as every version', () => {
    expect(parseRange('')).toEqual({ ok: false, error: 'the range is empty' });
    expect(parseRange('   ').ok).toBe(false);
  });
});

describe('parseRange: comparators', () => {
  it.each([
    ['<2.4.1', '2.4.0', 'in'],
    ['<2.4.1', '2.4.1', 'out'],
    ['<2.4.1', '2.4.1-rc.1', 'in'],
    ['<2.4.1', '2.4.0-754993421', 'in'],
    ['<=2.4.1', '2.4.1', 'in'],
    ['<=2.4.1', '2.4.1.0', 'in'],
    ['<=2.4.1', '2.4.1.1', 'out'],
    ['>2.4.1', '2.4.1', 'out'],
    ['>2.4.1', '2.4.2', 'in'],
    ['>=2.4.1', '2.4.1', 'in'],
    ['< 8.2.2', '8.2.1', 'in'],
    ['<= 2.6A', '2.6A', 'in'],
    ['<= 2.6A', '2.5Z', 'in'],
    ['<= 2.6A', '2.6B', 'out'],
    ['< B.06.18', 'B.06.17', 'in'],
    ['< B.06.18', 'A.09', 'in'],
    ['< B.06.18', 'C.01', 'out'],
    ['<= R4.1L1', 'R4.1L0', 'in'],
    ['<= R4.1L1', 'R4.1L2', 'out'],
    ['<= L81', 'L80', 'in'],
    ['<= L81', 'L82', 'out'],
    ['<= 012U000061', '012U000060', 'in'],
    ['<= 012U000061', '028U00093', 'out'],
    ['<=N', 'M', 'in'],
    ['<=N', 'N.0', 'in'],
    ['<=N', 'P', 'out'],
    ['<= 4107600010.23', '4107600010.3', 'in'],
    ['<=2023.3_Build_9342', '2023.3_Build_9000', 'in'],
    ['<=2023.3_Build_9342', '2023.3_Build_10000', 'out'],
    ['<=5.17.1-754993421', '5.17.1-754993421', 'in'],
    ['<=5.17.1-754993421', '5.17.1', 'in'],
    ['<=5.17.1-754993421', '5.17.1-754993422', 'out'],
    ['<=5.17.1', '5.17.1-754993421', 'out'],
    ['>=1.0.0 <2.0.0', '1.5.0', 'in'],
    ['>=1.0.0 <2.0.0', '2.0.0', 'out'],
    ['>=1.0.0 <2.0.0', '0.9', 'out'],
    ['>= 1.0.0   <  2.0.0', '1.0', 'in'],
    ['>=1.0 <2.0 !=1.5', '1.5', 'out'],
    ['>=1.0 <2.0 !=1.5', '1.6', 'in'],
    ['<=3.1 || >=4.0 <4.2', '3.1', 'in'],
    ['<=3.1 || >=4.0 <4.2', '4.1', 'in'],
    ['<=3.1 || >=4.0 <4.2', '3.5', 'out'],
    ['<=3.1 || >=4.0 <4.2', '4.2', 'out'],
    ['2.4.1', '2.4.1', 'in'],
    ['2.4.1', '2.4.1.0', 'in'],
    ['2.4.1', '2.4.2', 'out'],
    ['=2.4.1', '2.4.1', 'in'],
    ['= 2.4.1', '2.4.2', 'out'],
    ['HD 16', 'HD16', 'in'],
    ['1.1.3 MR Build 11', '1.1.3 MR Build 11', 'in'],
    ['1.1.3 MR Build 11', '1.1.3 MR Build 12', 'out'],
  ])('%j holds %j: %s', (expr, version, expected) => {
    expect(contains(expr, version)).toBe(expected);
  });
});

describe('parseRange: wildcards', () => {
  it.each([
    ['5.x.x', '5.0.0', 'in'],
    ['5.x.x', '5.9.1', 'in'],
    ['5.x.x', '5', 'in'],
    ['5.x.x', '4.99', 'out'],
    ['5.x.x', '6.0.0', 'out'],
    ['5.*', '5.3', 'in'],
    ['v9.x', '9.1', 'in'],
    ['<= 12.2.x.x', '12.2.99.1', 'in'],
    ['<= 12.2.x.x', '12.2', 'in'],
    ['<= 12.2.x.x', '11.0', 'in'],
    ['<= 12.2.x.x', '12.3', 'out'],
    ['<5.x', '4.9', 'in'],
    ['<5.x', '5.0', 'out'],
    ['>5.x', '5.9', 'out'],
    ['>5.x', '6.0', 'in'],
    ['>=5.x', '5.0', 'in'],
  ])('%j holds %j: %s', (expr, version, expected) => {
    expect(contains(expr, version)).toBe(expected);
  });

  it('writes a wildcard as the interval it names', () => {
    expect(range('5.x.x').canonical).toBe('>=5.0.0 <6.0.0');
    expect(range('<= 12.2.x.x').canonical).toBe('<12.3.0.0');
  });

  it('agrees with semver.satisfies on wildcard ranges and release versions', () => {
    const wildcard = fc.oneof(
      fc.nat({ max: 4 }).map((a) => `${a}.x`),
      fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })).map(([a, b]) => `${a}.${b}.x`),
      fc.nat({ max: 4 }).map((a) => `${a}.x.x`),
    );
    const op = fc.constantFrom('', '<', '<=', '>', '>=');
    const version = fc.tuple(fc.nat({ max: 5 }), fc.nat({ max: 5 }), fc.nat({ max: 5 })).map((p) => p.join('.'));
    fc.assert(
      fc.property(op, wildcard, version, (o, w, v) => {
        return (contains(`${o}${w}`, v) === 'in') === semver.satisfies(v, `${o}${w}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseRange: CISA pipes', () => {
  it.each([
    ['>= 1.0.0  | <= 1.3.1', '1.2', 'in'],
    ['>= 1.0.0  | <= 1.3.1', '1.3.1', 'in'],
    ['>= 1.0.0  | <= 1.3.1', '1.4', 'out'],
    ['>= 1.0.0  | <= 1.3.1', '0.9', 'out'],
    ['<= 1.3.1 | >= 1.0.0', '1.4', 'out'],
    ['>= 1.3.4 | < 1.5.3', '1.5.3', 'out'],
    ['>=BT02 | <= BT06', 'BT05', 'in'],
    ['>=BT02 | <= BT06', 'BT07', 'out'],
    ['>= 4.0 | <= 4.6', '4.6', 'in'],
    ['BT03 | BT04 | BT06', 'BT04', 'in'],
    ['BT03 | BT04 | BT06', 'BT05', 'out'],
    ['HD 16 | HD23', 'HD23', 'in'],
    ['HD 16 | HD23', 'HD 16', 'in'],
    ['HD 16 | HD23', 'HD20', 'out'],
    ['SV20.1 | SV23.0', 'SV23', 'in'],
    ['v17 | >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28', '17', 'in'],
    ['v17 | >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28', '20D30', 'in'],
    ['v17 | >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28', '21D01', 'unknown'], // "17" has another shape: cannot be ruled out
    ['v17D19 | >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28', '21D01', 'out'],
    ['v17 | >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28', '22D28', 'in'],
    ['16 | 16D38', '16D38', 'in'],
    ['5.x | 7.1', '5.2', 'in'],
    ['5.x | 7.1', '7.1', 'in'],
    ['5.x | 7.1', '6.0', 'out'],
    ['BT03 || BT04', 'BT04', 'in'],
  ])('%j holds %j: %s', (expr, version, expected) => {
    expect(contains(expr, version)).toBe(expected);
  });

  it('reads a lower then an upper bound joined by a pipe as ONE interval', () => {
    expect(range('>= 1.0.0  | <= 1.3.1').clauses).toHaveLength(1);
    expect(range('>= 1.0.0  | <= 1.3.1').canonical).toBe('>=1.0.0 <=1.3.1');
  });

  it('reads a pipe list of plain versions as a set of exact versions', () => {
    expect(range('BT06 | BT03 | BT04').canonical).toBe('=BT03 || =BT04 || =BT06');
  });
});

describe('parseRange: refusals', () => {
  it.each([
    ['<May 2018', '"May 2018"', 'month'],
    ['<8/30/2024', '"8/30/2024"', 'looks like a date'],
    ['2.3.6 and  below', '"2.3.6 and below"', 'prose'],
    ['9.x model 35700BAX3', '"9.x model 35700BAX3"', 'wildcard'],
    ['A10 < A11', '"A10"', 'comes before an operator'],
    ['<2.0 banana', '"2.0 banana"', 'prose'],
    ['>=1.0 <BT03', '"1.0" and "BT03"', 'different kinds of version'],
    ['<', '"<"', 'has no version'],
    ['<=>1.0', '"<="', 'has no version'],
    ['^1.2.3', '"^1.2.3"', 'contains "^"'],
    ['1.0 - 2.0', '"1.0 - 2.0"', 'stray separator'],
    ['<1.0 2.0', '"1.0 2.0"', 'separated by a space'],
    ['>=1.0 | >=2.0', '(>=1.0, >=2.0)', 'two lower bounds in a row'],
    ['<=1.0 | <2.0', '(<=1.0, <2.0)', 'two upper bounds in a row'],
    ['>=1.0 | <=1.0', '"1.0"', 'appears more than once'],
    ['v17D19 >= 20D29 | <= 20D32', '"v17D19 >= 20D29"', 'puts a version before an operator'],
    ['>= 1.0 | <= L81', '"1.0" and "L81"', 'different kinds of version'],
    ['<1.0 || ', '"<1.0 ||"', 'empty'],
    ['<1.0 || BT03 | BT04', 'mixes | and ||', 'mixes'],
    ['!=5.x', '"5.x"', 'cannot be excluded'],
    ['!=1.0 | !=2.0', 'only != constraints', 'only'],
  ])('refuses %j, quoting %s', (expr, quoted, reason) => {
    const r = parseRange(expr);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toContain(quoted);
      expect(r.error).toContain(reason);
    }
  });

  it('refuses non-text input instead of throwing', () => {
    expect(parseRange(null as unknown as string).ok).toBe(false);
    expect(parseRange({} as unknown as string).ok).toBe(false);
  });

  it('refuses an absurdly long expression', () => {
    expect(parseRange('<1.0 '.repeat(200)).ok).toBe(false);
  });
});

describe('rangeContains: unknown', () => {
  it.each([null, undefined, '', 'not a version', 'May 2018'])('answers unknown for a missing or unreadable version %j', (v) => {
    expect(contains('<2.0', v)).toBe('unknown');
  });

  it.each([
    ['<= L81', '028U000061'],
    ['<2.0', 'L81'],
    ['<= 2.6A', '2.6'],
    ['BT03 | BT04', '4.0'],
    ['vers:generic/>=1.0|<2.3', 'BT03'],
  ])('answers unknown when %j is bounded by another kind of version than %j', (expr, v) => {
    expect(contains(expr, v)).toBe('unknown');
  });

  it('answers in when one alternative holds even if another cannot decide', () => {
    expect(contains('<2.0 || <=L81', '1.5')).toBe('in');
    expect(contains('<2.0 || <=L81', 'L80')).toBe('in');
  });

  it('answers unknown, not out, when the only decidable alternative fails', () => {
    expect(contains('<2.0 || <=L81', '3.0')).toBe('unknown');
  });

  it('lists the schemes of its bounds', () => {
    expect(range('<2.0 || <=L81').schemes).toEqual(['numeric', 'vendor:A']);
  });
});

describe('canonical text', () => {
  it.each([
    ['>= 1.0   <2.0 ||  =2.5', '>=1.0 <2.0 || =2.5'],
    ['2.4.1', '=2.4.1'],
    ['<=  HD   16', '<=HD 16'],
    ['vers:generic/<2.3|>=1.0', '>=1.0 <2.3'],
    ['vers:none/*', 'vers:none/*'],
  ])('writes %j as %j', (expr, canonical) => {
    expect(range(expr).canonical).toBe(canonical);
  });

  it('keeps the expression exactly as given', () => {
    expect(range(' <2.0 ').expression).toBe(' <2.0 ');
  });

  it('is a fixed point: parsing the canonical text gives the same canonical text and the same verdicts', () => {
    const version = fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })).map(([a, b]) => `${a}.${b}`);
    const part = fc
      .tuple(
        fc.constantFrom('', '<', '<=', '>', '>=', '=', '!='),
        fc.oneof(
          version,
          version.map((v) => `${v}.x`),
        ),
      )
      .map(([o, v]) => o + v);
    const expression = fc.oneof(
      fc
        .array(
          fc.array(part, { minLength: 1, maxLength: 3 }).map((c) => c.join(' ')),
          { minLength: 1, maxLength: 3 },
        )
        .map((cs) => cs.join(' || ')),
      fc.array(part, { minLength: 1, maxLength: 4 }).map((ps) => ps.join(' | ')),
      fc.array(part, { minLength: 1, maxLength: 4 }).map((ps) => `vers:generic/${ps.join('|')}`),
    );
    fc.assert(
      fc.property(expression, fc.array(version, { minLength: 1, maxLength: 5 }), (expr, versions) => {
        const first = parseRange(expr);
        if (!first.ok) return true;
        const again = range(first.range.canonical);
        return again.canonical === first.range.canonical && versions.every((v) => rangeContains(again, v) === rangeContains(first.range, v));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('properties', () => {
  const release = fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3 }), fc.nat({ max: 3 })).map((p) => p.join('.'));
  const comparator = fc.tuple(fc.constantFrom('<', '<=', '>', '>=', '=', '>= ', '< '), release).map(([o, v]) => o + v);
  // A clause is one bare version or operator-led comparators ("1.0 <2.0" is refused, see refusals).
  const clause = fc.oneof(
    release,
    fc.array(comparator, { minLength: 1, maxLength: 2 }).map((c) => c.join(' ')),
  );
  const simpleRange = fc.array(clause, { minLength: 1, maxLength: 3 }).map((clauses) => clauses.join(' || '));

  it('agrees with semver.satisfies on simple comparator ranges (operators, bare versions, ||) and release versions', () => {
    fc.assert(
      fc.property(simpleRange, release, (expr, v) => {
        const verdict = contains(expr, v);
        return verdict !== 'unknown' && (verdict === 'in') === semver.satisfies(v, expr);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary text, and answers in, out or unknown', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.string({ unit: 'binary' }), { nil: null }), (expr, v) => {
        const r = parseRange(expr);
        if (!r.ok) return typeof r.error === 'string' && r.error.length > 0;
        return ['in', 'out', 'unknown'].includes(rangeContains(r.range, v));
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on text made of range characters', () => {
    const piece = fc.constantFrom('<', '>', '=', '!', '|', '||', ' ', '1', '.', '2', 'x', '*', 'A', 'BT0', '-', 'vers:', 'generic/', '%');
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        (expr) => {
          const r = parseRange(expr);
          if (r.ok) rangeContains(r.range, '1.2');
          return true;
        },
      ),
      { numRuns: 3000 },
    );
  });
});
