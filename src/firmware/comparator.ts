import { compareParsed } from './compare';
import { FirmwareVersion, parseVersion, versionProblem } from './version';
import { expandWildcard } from './wildcard';
import type { Clause, Comparator, Operator, Verdict } from './comparator-types';

export type { Clause, Comparator, Operator, Verdict } from './comparator-types';

/** Longest operators first, so "<=" is never read as "<" followed by "=1.0". */
export const LEADING_OPERATOR = /^(<=|>=|!=|<|>|=)/;

export function isLowerBound(op: Operator): boolean {
  return op === '>' || op === '>=';
}

export function isUpperBound(op: Operator): boolean {
  return op === '<' || op === '<=';
}

export function comparatorText(c: Comparator): string {
  return `${c.op}${c.version.text}`;
}

export function clauseText(clause: Clause): string {
  return clause.map(comparatorText).join(' ');
}

/**
 * One operator and version text as comparators. A wildcard stands for the interval it names
 * (`=5.x` is `>=5.0 <6.0`); anything else must be one version. The error quotes the text.
 */
export function readComparator(op: Operator, text: string): Comparator[] | { error: string } {
  const wildcard = expandWildcard(op, text);
  if (wildcard) return wildcard;
  const version = parseVersion(text);
  if (!version) return { error: `${JSON.stringify(text.trim())} ${versionProblem(text) ?? 'is not a version'}` };
  return [{ op, version }];
}

/** 'unknown' when the version is of another scheme than the bound: never a guess. */
export function clauseVerdict(clause: Clause, v: FirmwareVersion): Verdict {
  let unknown = false;
  for (const c of clause) {
    const order = compareParsed(v, c.version);
    if (order === null) unknown = true;
    else if (!holds(c.op, order)) return 'out';
  }
  return unknown ? 'unknown' : 'in';
}

function holds(op: Operator, order: -1 | 0 | 1): boolean {
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}

/** Every comparator of one interval must be of one scheme, else the interval means nothing. */
export function mixedSchemes(comparators: readonly Comparator[]): string | null {
  const first = comparators[0];
  const other = comparators.find((c) => c.version.scheme !== first.version.scheme);
  return other ? `${JSON.stringify(first.version.text)} and ${JSON.stringify(other.version.text)} are different kinds of version and cannot be compared` : null;
}
