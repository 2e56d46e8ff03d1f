import { parsePipeList } from './cisa-pipes';
import { Clause, clauseText, clauseVerdict, Comparator, LEADING_OPERATOR, mixedSchemes, Operator, readComparator } from './comparator';
import { parseVersion } from './version';
import { parseVers } from './vers';

export interface VersionRange {
  /** As given. */
  readonly expression: string;
  /** Stable normalized text in this module's own syntax; parsing it gives the same range. */
  readonly canonical: string;
  /** Every version, known or not. */
  readonly all: boolean;
  /** OR of AND-clauses. Empty (and not `all`) means no version at all (`vers:none/*`). */
  readonly clauses: readonly Clause[];
  /** The version schemes the bounds use: a device version of another scheme is 'unknown'. */
  readonly schemes: readonly string[];
}

export type RangeParseResult = { ok: true; range: VersionRange } | { ok: false; error: string };
export type Containment = 'in' | 'out' | 'unknown';

export const MAX_RANGE_LENGTH = 512;
const ALL = /^(\*|all|all versions|any|any versions?)$/i;

/**
 * Reads a version range. Forms, tried in this order:
 * - `*`, "all", "all versions", "any": every version. The empty string is NOT "all": a missing
 *   range must not silently match every device.
 * - `vers:<scheme>/...`: the purl vers specification (vers.ts).
 * - comparators joined by spaces (AND) and `||` (OR): `>=1.0.0 <2.0.0 || =2.5`, with optional
 *   space after an operator; a bare version is an exact match; a wildcard (`5.x.x`) is the
 *   interval it names (wildcard.ts).
 * - a single `|` between parts: CISA's loose vers-like lists (cisa-pipes.ts).
 * Anything else (dates, prose, "A10 < A11") is an error quoting the part it could not read.
 */
export function parseRange(expression: string): RangeParseResult {
  if (typeof expression !== 'string') return fail('the range is not text');
  const text = expression.replace(/\s+/g, ' ').trim();
  if (!text) return fail('the range is empty');
  if (text.length > MAX_RANGE_LENGTH) return fail(`the range is longer than ${MAX_RANGE_LENGTH} characters`);
  if (ALL.test(text)) return ok(expression, true, []);
  const quoted = JSON.stringify(text);
  if (/^vers:/i.test(text)) {
    const vers = parseVers(text);
    if (vers.kind === 'error') return fail(vers.error);
    return vers.kind === 'clauses' ? ok(expression, false, vers.clauses) : ok(expression, vers.kind === 'all', []);
  }
  if (text.includes('||')) {
    const clauses: Clause[] = [];
    for (const alternative of text.split('||').map((p) => p.trim())) {
      if (!alternative) return fail(`cannot read ${quoted}: an alternative between || is empty`);
      if (alternative.includes('|')) return fail(`cannot read ${quoted}: it mixes | and ||`);
      const clause = parseClause(alternative);
      if ('error' in clause) return fail(cannotRead(quoted, clause.error));
      clauses.push(clause.clause);
    }
    return ok(expression, false, clauses);
  }
  const read = text.includes('|') ? parsePipeList(text) : wrap(parseClause(text));
  return 'error' in read ? fail(cannotRead(quoted, read.error)) : ok(expression, false, read.clauses);
}

/** Space-separated comparators, or one bare version. Versions may contain spaces ("HD 16"), so parts are cut at operators, not at spaces. */
function parseClause(text: string): { clause: Clause } | { error: string } {
  const first = text.search(/[<>=!]/);
  if (first < 0) {
    const read = readComparator('=', text);
    return 'error' in read ? read : { clause: read };
  }
  if (first > 0) return { error: `${JSON.stringify(text.slice(0, first).trim())} comes before an operator; write each bound as <operator><version>` };
  const comparators: Comparator[] = [];
  let rest = text;
  while (rest) {
    const op = LEADING_OPERATOR.exec(rest)?.[1] as Operator | undefined;
    if (!op) return { error: `unexpected ${JSON.stringify(rest[0])}` };
    const end = rest.slice(op.length).search(/[<>=!]/);
    const version = (end < 0 ? rest.slice(op.length) : rest.slice(op.length, op.length + end)).trim();
    if (!version) return { error: `"${op}" has no version` };
    const read = readComparator(op, version);
    if ('error' in read) return read;
    comparators.push(...read);
    rest = end < 0 ? '' : rest.slice(op.length + end);
  }
  const mixed = mixedSchemes(comparators);
  return mixed ? { error: mixed } : { clause: comparators };
}

function wrap(result: { clause: Clause } | { error: string }): { clauses: Clause[] } | { error: string } {
  return 'error' in result ? result : { clauses: [result.clause] };
}

function ok(expression: string, all: boolean, clauses: Clause[]): RangeParseResult {
  const canonical = all ? '*' : clauses.length ? clauses.map(clauseText).join(' || ') : 'vers:none/*';
  const schemes = [...new Set(clauses.flatMap((c) => c.map((x) => x.version.scheme)))];
  return { ok: true, range: { expression, canonical, all, clauses, schemes } };
}

/** A reason that already quotes the whole text ('"8.x model X" is not a version') is not quoted twice. */
function cannotRead(quoted: string, reason: string): string {
  return reason.startsWith(quoted) ? reason : `cannot read ${quoted}: ${reason}`;
}

function fail(error: string): RangeParseResult {
  return { ok: false, error };
}

/**
 * 'in' when some clause holds; 'out' when every clause is decided and none holds; 'unknown'
 * when the version is missing, unreadable, or of another scheme than the bounds that could
 * have let it in. An "all versions" range holds for every device, even one whose version is
 * unknown: the advisory names no version to compare.
 */
export function rangeContains(range: VersionRange, version: string | null | undefined): Containment {
  if (range.all) return 'in';
  if (!range.clauses.length) return 'out';
  const parsed = typeof version === 'string' ? parseVersion(version) : null;
  if (!parsed) return 'unknown';
  let unknown = false;
  for (const clause of range.clauses) {
    const verdict = clauseVerdict(clause, parsed);
    if (verdict === 'in') return 'in';
    if (verdict === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : 'out';
}
