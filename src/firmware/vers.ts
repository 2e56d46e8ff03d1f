import * as semver from 'semver';
import { Clause, Comparator, LEADING_OPERATOR, Operator } from './comparator';
import { constraintsToClauses } from './intervals';
import { parseVersion, versionProblem } from './version';

export type VersResult = { kind: 'all' } | { kind: 'none' } | { kind: 'clauses'; clauses: Clause[] } | { kind: 'error'; error: string };

/**
 * Versioning schemes whose order this module implements. generic: the vendor-aware order of
 * version.ts; semver/npm: semver (every version must be valid semver). Other schemes (deb,
 * maven, pypi...) order versions their own way, so they are refused rather than misread.
 */
const SUPPORTED = new Set(['generic', 'semver', 'npm']);

/**
 * A purl "vers" range as CSAF uses it: `vers:<scheme>/<constraint>|<constraint>...`, parsed
 * as VERSION-RANGE-SPEC says: spaces are not significant, empty pipes are ignored, a
 * constraint without comparator is an exact version, versions may be percent-encoded, `*`
 * stands alone. Validation follows the spec too (unique versions, one scheme, alternating
 * bounds); intervals come from its pairwise algorithm (see intervals.ts).
 */
export function parseVers(expression: string): VersResult {
  const text = expression.replace(/\s+/g, '');
  const m = /^vers:([^/]*)\/(.*)$/i.exec(text);
  if (!m) return error(`${JSON.stringify(expression)} is not a vers range (vers:<scheme>/<constraints>)`);
  const scheme = m[1].toLowerCase();
  const list = m[2].split('|').filter(Boolean);
  if (!scheme) return error(`${JSON.stringify(expression)} names no versioning scheme`);
  if (!list.length) return error(`${JSON.stringify(expression)} has no constraints`);
  if (list.includes('*')) {
    if (list.length > 1) return error(`${JSON.stringify(expression)}: "*" must stand alone`);
    return scheme === 'none' ? { kind: 'none' } : { kind: 'all' };
  }
  if (scheme === 'all' || scheme === 'none') return error(`${JSON.stringify(expression)}: vers:${scheme} takes only "*"`);
  if (!SUPPORTED.has(scheme))
    return error(`${JSON.stringify(expression)}: the vers scheme "${scheme}" is not supported (its version order is not implemented)`);

  const constraints: Comparator[] = [];
  for (const item of list) {
    const parsed = readConstraint(item, scheme);
    if ('error' in parsed) return error(`${JSON.stringify(expression)}: ${parsed.error}`);
    constraints.push(parsed);
  }
  const result = constraintsToClauses(constraints, 'strict');
  return 'error' in result ? error(`${JSON.stringify(expression)}: ${result.error}`) : { kind: 'clauses', clauses: result.clauses };
}

function readConstraint(item: string, scheme: string): Comparator | { error: string } {
  const op = (LEADING_OPERATOR.exec(item)?.[1] ?? '=') as Operator;
  // "=" is not a vers comparator, but "=1.0" can only mean the exact version.
  const encoded = item.slice(LEADING_OPERATOR.test(item) ? op.length : 0);
  let text: string;
  try {
    text = encoded.includes('%') ? decodeURIComponent(encoded) : encoded;
  } catch {
    return { error: `${JSON.stringify(item)} has a broken %-escape` };
  }
  if (!text) return { error: `${JSON.stringify(item)} has no version` };
  const version = parseVersion(text);
  if (!version) return { error: `${JSON.stringify(text)} ${versionProblem(text) ?? 'is not a version'}` };
  if ((scheme === 'semver' || scheme === 'npm') && !semver.valid(text)) return { error: `${JSON.stringify(text)} is not a valid semver version` };
  return { op, version };
}

function error(message: string): VersResult {
  return { kind: 'error', error: message };
}
