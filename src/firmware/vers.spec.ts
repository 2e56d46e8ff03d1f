import fc from 'fast-check';
import * as semver from 'semver';
import { Containment, parseRange, rangeContains } from './version-range';

function contains(expression: string, version: string): Containment {
  const r = parseRange(expression);
  if (!r.ok) throw new Error(r.error);
  return rangeContains(r.range, version);
}

function refusal(expression: string): string {
  const r = parseRange(expression);
  if (r.ok) throw new Error(`${expression} was accepted as ${r.range.canonical}`);
  return r.error;
}

describe('vers ranges', () => {
  it.each([
    ['vers:generic/>=1.0|<2.3', '2.2', 'in'],
    ['vers:generic/>=1.0|<2.3', '1.0', 'in'],
    ['vers:generic/>=1.0|<2.3', '0.9', 'out'],
    ['vers:generic/>=1.0|<2.3', '2.3', 'out'],
    ['vers:generic/<2.3|>=1.0', '2.2', 'in'],
    ['vers:generic/1.2.3', '1.2.3', 'in'],
    ['vers:generic/1.2.3', '1.2.4', 'out'],
    ['vers:generic/<2.0|>=3.0', '1.5', 'in'],
    ['vers:generic/<2.0|>=3.0', '2.5', 'out'],
    ['vers:generic/<2.0|>=3.0', '3.5', 'in'],
    ['vers:generic/>=1.0|!=1.5|<2.0', '1.5', 'out'],
    ['vers:generic/>=1.0|!=1.5|<2.0', '1.6', 'in'],
    ['vers:generic/>=BT02|<=BT06', 'BT04', 'in'],
    ['vers:generic/<=L81', 'L80', 'in'],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '1.2.3', 'in'],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '1.5.0', 'out'],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '4.9.9', 'in'],
    ['vers:semver/>=1.0.0-beta.1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2', '7.0.5', 'in'],
    ['vers:semver/>=1.0.0-beta.1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2', '7.0.9', 'out'],
    ['vers:semver/>=1.0.0-beta.1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2', '1.0.0', 'in'],
    ['vers:generic/>=2.2.0|!= 2.2.1|<2.3.0', '2.2.1', 'out'],
    ['vers:generic/ >= 1.0 | < 2.0 ', '1.5', 'in'],
    ['vers:generic/|>=1.0||<2.0|', '1.5', 'in'],
    ['vers:generic/1.0.0%2Bbuild.5', '1.0.0', 'in'],
    ['vers:none/*', '1.0', 'out'],
    ['VERS:Generic/<2.0', '1.0', 'in'],
  ])('%j holds %j: %s', (expr, version, expected) => {
    expect(contains(expr, version)).toBe(expected);
  });

  it('reads vers:all/* as every version', () => {
    const r = parseRange('vers:all/*');
    expect(r.ok && r.range.all).toBe(true);
  });

  it('sorts constraints, so their written order does not matter', () => {
    const a = parseRange('vers:generic/<=4.6|>=4.0|=1.0');
    const b = parseRange('vers:generic/=1.0|>=4.0|<=4.6');
    expect(a.ok && b.ok && a.range.canonical === b.range.canonical).toBe(true);
  });

  it.each([
    ['vers:generic/', 'no constraints'],
    ['vers:/1.0', 'names no versioning scheme'],
    ['vers:generic/*|1.0', '"*" must stand alone'],
    ['vers:all/1.0', 'takes only "*"'],
    ['vers:maven/>=1.0', 'the vers scheme "maven" is not supported'],
    ['vers:generic/>=1.0|>=2.0', 'two lower bounds in a row'],
    ['vers:generic/<1.0|<=2.0', 'two upper bounds in a row'],
    ['vers:generic/1.0|<2.0', 'lies inside the interval'],
    ['vers:generic/>=1.0|1.5|<2.0', 'lies inside the interval'],
    ['vers:generic/1.0|1.0.0', 'appears more than once'],
    ['vers:generic/>=1.0|!=1.0', 'appears more than once'],
    ['vers:generic/1.0|BT03', 'different kinds of version'],
    ['vers:generic/!=1.0', 'only != constraints'],
    ['vers:generic/<May2018', 'month'],
    ['vers:generic/5.x', 'wildcard'],
    ['vers:generic/%E0%A4%A', 'broken %-escape'],
    ['vers:generic/>=', 'has no version'],
    ['vers:generic/%3C1.0', '"<1.0" contains "<"'],
    ['vers:semver/1.0', 'not a valid semver version'],
  ])('refuses %j: %s', (expr, message) => {
    expect(refusal(expr)).toContain(message);
  });
});

/**
 * The specification's containment check, transcribed step by step and comparing with
 * semver.compare, as an independent oracle for the interval reading in intervals.ts.
 */
type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
function specContains(constraints: Array<{ op: Op; v: string }>, tested: string): boolean {
  const sorted = [...constraints].sort((a, b) => semver.compare(a.v, b.v));
  const eq = (a: string, b: string) => semver.compare(a, b) === 0;
  if (sorted.some((c) => (c.op === '=' || c.op === '<=' || c.op === '>=') && eq(c.v, tested))) return true;
  if (sorted.some((c) => c.op === '!=' && eq(c.v, tested))) return false;
  const second = sorted.filter((c) => c.op !== '=' && c.op !== '!=');
  const lesser = (op: Op) => op === '<' || op === '<=';
  const greater = (op: Op) => op === '>' || op === '>=';
  // The spec's pairwise loop never runs for a single constraint; read it as both first and last.
  if (second.length === 1) {
    const [c] = second;
    return (lesser(c.op) && semver.lt(tested, c.v)) || (greater(c.op) && semver.gt(tested, c.v));
  }
  for (let i = 0; i + 1 < second.length; i++) {
    const current = second[i];
    const next = second[i + 1];
    if (i === 0 && lesser(current.op) && semver.lt(tested, current.v)) return true;
    if (i + 2 === second.length && greater(next.op) && semver.gt(tested, next.v)) return true;
    if (greater(current.op) && lesser(next.op) && semver.gt(tested, current.v) && semver.lt(tested, next.v)) return true;
  }
  return false;
}

/** The spec's validity rules for a de-duplicated, sorted list, plus this module's refusal of a list of only "!=". */
function specValid(constraints: Array<{ op: Op; v: string }>): boolean {
  const sorted = [...constraints].sort((a, b) => semver.compare(a.v, b.v)).filter((c) => c.op !== '!=');
  if (!sorted.length) return false;
  for (let i = 0; i + 1 < sorted.length; i++) if (sorted[i].op === '=' && !['=', '>', '>='].includes(sorted[i + 1].op)) return false;
  const bounds = sorted.filter((c) => c.op !== '=');
  for (let i = 0; i + 1 < bounds.length; i++) if (bounds[i].op.startsWith('<') === bounds[i + 1].op.startsWith('<')) return false;
  return true;
}

describe('vers properties', () => {
  const version = fc.tuple(fc.nat({ max: 4 }), fc.nat({ max: 4 })).map(([a, b]) => `${a}.${b}.0`);
  const op = fc.constantFrom<Op>('=', '!=', '<', '<=', '>', '>=');
  const constraints = fc
    .uniqueArray(version, { minLength: 1, maxLength: 6 })
    .chain((vs) => fc.tuple(...vs.map((v) => op.map((o) => ({ op: o, v })))))
    .chain((cs) => fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }));
  const text = (cs: Array<{ op: Op; v: string }>) => `vers:semver/${cs.map((c) => `${c.op === '=' ? '' : c.op}${c.v}`).join('|')}`;

  it('accepts exactly the constraint lists the specification calls valid', () => {
    fc.assert(
      fc.property(constraints, (cs) => parseRange(text(cs)).ok === specValid(cs)),
      { numRuns: 3000 },
    );
  });

  it('puts a version inside exactly when the specification says so', () => {
    fc.assert(
      fc.property(constraints, version, (cs, tested) => {
        fc.pre(specValid(cs));
        return (contains(text(cs), tested) === 'in') === specContains(cs, tested);
      }),
      { numRuns: 3000 },
    );
  });
});
