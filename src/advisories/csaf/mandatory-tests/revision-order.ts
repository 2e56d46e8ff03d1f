import * as semver from 'semver';

/**
 * The order CSAF 2.0 puts a revision history in for its tests (6.1.14, 6.1.16, 6.1.21): ascending
 * by `date`, and by `number` where dates are equal. The order the items are listed in means
 * nothing: a history written newest first is as valid as one written oldest first.
 */

export interface RevisionItem {
  date: string;
  number: string;
}

/** RFC 3339 date-time as the CSAF schema allows it (any fraction length, Z or an offset). */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * An instant as [whole seconds since the epoch, fraction digits]. The fraction stays a digit
 * string because the test set tells apart `10:00:00.000Z` and `10:00:00.00010Z`, which a
 * JavaScript Date (milliseconds) would call equal.
 */
function instant(value: string): [number, string] | null {
  const m = TIMESTAMP.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = '', z, offsetSign, oh, om] = m;
  // Not Date.UTC: it reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const local = date.getTime() / 1000;
  const offset = z ? 0 : (offsetSign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60);
  return [local - offset, fraction.replace(/0+$/, '')];
}

/** Negative when a is earlier, positive when later, 0 when equal or when either is not a timestamp (the schema test reports that). */
export function compareTimestamps(a: string, b: string): number {
  const x = instant(a);
  const y = instant(b);
  if (!x || !y) return 0;
  if (x[0] !== y[0]) return x[0] - y[0];
  const width = Math.max(x[1].length, y[1].length);
  const fx = x[1].padEnd(width, '0');
  const fy = y[1].padEnd(width, '0');
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

const INTEGER_VERSION = /^(0|[1-9]\d*)$/;

/** The integer a revision number counts by: the number itself (integer versioning) or the major version (semantic versioning). */
export function majorOf(number: string): bigint | null {
  if (INTEGER_VERSION.test(number)) return BigInt(number);
  const parsed = semver.parse(number);
  return parsed ? BigInt(parsed.major) : null;
}

/** Orders two revision numbers: integers as integers, semantic versions by precedence, a mix by their majors. */
export function compareRevisionNumbers(a: string, b: string): number {
  if (INTEGER_VERSION.test(a) && INTEGER_VERSION.test(b)) return sign(BigInt(a) - BigInt(b));
  if (semver.valid(a) && semver.valid(b)) return semver.compare(a, b);
  const x = majorOf(a);
  const y = majorOf(b);
  return x === null || y === null ? 0 : sign(x - y);
}

/** A copy of the items, oldest first; equal dates ordered by number. */
export function inRevisionOrder<T extends RevisionItem>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareTimestamps(a.date, b.date) || compareRevisionNumbers(a.number, b.number));
}

/** The document's revision history when every item has a string date and number; null otherwise (the schema test reports that). */
export function revisionHistoryOf(doc: unknown): RevisionItem[] | null {
  const history = (doc as { document?: { tracking?: { revision_history?: unknown } } } | null)?.document?.tracking?.revision_history;
  if (!Array.isArray(history)) return null;
  const items = history as unknown[];
  const wellFormed = items.every(
    (r): r is RevisionItem =>
      typeof r === 'object' && r !== null && typeof (r as RevisionItem).date === 'string' && typeof (r as RevisionItem).number === 'string',
  );
  return wellFormed ? (items as RevisionItem[]) : null;
}

function sign(x: bigint): number {
  return x < 0n ? -1 : x > 0n ? 1 : 0;
}
