import { compareForLayout, compareParsed } from './compare';
import { Clause, Comparator, comparatorText, isLowerBound, isUpperBound, mixedSchemes } from './comparator';

/**
 * How much of the vers validation to demand. `strict` is the vers specification itself;
 * `lenient` is for CISA's pipe lists, which borrow the notation loosely: a list of exact
 * versions may mix shapes ("16 | 16D38") and repeat itself, but bounds must still pair up.
 */
export type Strictness = 'strict' | 'lenient';

/**
 * Turns a list of constraints into intervals by the vers specification's algorithm
 * (VERSION-RANGE-SPEC "Checking if a version is contained within a range"): the bounds are
 * sorted by version and read pairwise, so `>=1.0|<2.3` is ONE interval [1.0, 2.3), a leading
 * `<` opens from the bottom and a trailing `>=` runs to the top; `=` versions stand alone;
 * `!=` removes its version from every interval. The pairwise reading is only well defined
 * when lower and upper bounds alternate, which the spec requires and is checked here.
 */
export function constraintsToClauses(constraints: readonly Comparator[], strictness: Strictness): { clauses: Clause[] } | { error: string } {
  const equals = constraints.filter((c) => c.op === '=');
  const excluded = constraints.filter((c) => c.op === '!=');
  const bounds = constraints.filter((c) => isLowerBound(c.op) || isUpperBound(c.op));
  if (!equals.length && !bounds.length) return { error: 'only != constraints: there is no range to exclude versions from' };

  const mustShareScheme = strictness === 'strict' ? constraints : [...bounds, ...excluded];
  const mixed = mustShareScheme.length ? mixedSchemes(mustShareScheme) : null;
  if (mixed) return { error: mixed };

  const sortedBounds = [...bounds].sort((a, b) => compareParsed(a.version, b.version) ?? 0);
  const duplicate = firstDuplicate(strictness === 'strict' ? constraints : bounds);
  if (duplicate) return { error: `the version ${JSON.stringify(duplicate)} appears more than once` };
  if (strictness === 'strict') {
    const misplaced = equalInsideInterval(constraints);
    if (misplaced) return { error: misplaced };
  }
  const alternation = checkAlternation(sortedBounds);
  if (alternation) return { error: alternation };

  const clauses: Clause[] = [];
  let i = 0;
  if (sortedBounds.length && isUpperBound(sortedBounds[0].op)) clauses.push([sortedBounds[i++], ...excluded]);
  for (; i < sortedBounds.length; i += 2) {
    const upper = sortedBounds[i + 1];
    clauses.push(upper ? [sortedBounds[i], upper, ...excluded] : [sortedBounds[i], ...excluded]);
  }
  for (const e of dedupe(equals)) clauses.push([e]);
  return { clauses: clauses.sort((a, b) => compareForLayout(a[0].version, b[0].version)) };
}

function firstDuplicate(list: readonly Comparator[]): string | null {
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) if (compareParsed(list[i].version, list[j].version) === 0) return list[j].version.text;
  }
  return null;
}

function dedupe(list: readonly Comparator[]): Comparator[] {
  const out: Comparator[] = [];
  for (const c of list) if (!out.some((o) => compareParsed(o.version, c.version) === 0)) out.push(c);
  return out;
}

// Spec: ignoring !=, an "=" may be followed only by "=", ">" or ">=": an exact version inside an interval is redundant.
function equalInsideInterval(constraints: readonly Comparator[]): string | null {
  const sorted = constraints.filter((c) => c.op !== '!=').sort((a, b) => compareParsed(a.version, b.version) ?? 0);
  for (let i = 0; i + 1 < sorted.length; i++) {
    if (sorted[i].op === '=' && isUpperBound(sorted[i + 1].op)) {
      return `${comparatorText(sorted[i])} lies inside the interval closed by ${comparatorText(sorted[i + 1])}; list it once`;
    }
  }
  return null;
}

function checkAlternation(sorted: readonly Comparator[]): string | null {
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i];
    const b = sorted[i + 1];
    if (isLowerBound(a.op) === isLowerBound(b.op)) {
      const kind = isLowerBound(a.op) ? 'lower' : 'upper';
      return `two ${kind} bounds in a row (${comparatorText(a)}, ${comparatorText(b)}): lower and upper bounds must alternate`;
    }
  }
  return null;
}
