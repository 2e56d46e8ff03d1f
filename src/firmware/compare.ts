import { FirmwareVersion, parseVersion, Segment } from './version';

export type Order = -1 | 0 | 1;

/** -1/0/1, or null when the two are not comparable (different schemes, or unparsable). */
export function compareVersions(a: string, b: string): Order | null {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x && y ? compareParsed(x, y) : null;
}

/**
 * Within one scheme this is a total order: segments are compared pairwise (numbers by value,
 * letters alphabetically ignoring case; words are equal by construction of the scheme), then,
 * for numeric versions, pre-release < release < release with a build number.
 */
export function compareParsed(x: FirmwareVersion, y: FirmwareVersion): Order | null {
  if (x.scheme !== y.scheme) return null;
  const n = Math.max(x.segments.length, y.segments.length);
  for (let i = 0; i < n; i++) {
    const c = compareSegment(x.segments[i], y.segments[i]);
    if (c !== 0) return c;
  }
  return x.scheme === 'numeric' ? compareSuffix(x, y) : 0;
}

// Equal schemes guarantee equal kinds at every index; only a trailing number group may be absent (= 0).
function compareSegment(a: Segment | undefined, b: Segment | undefined): Order {
  if (a?.kind === 'letter' && b?.kind === 'letter') return compareText(a.value, b.value);
  if (a?.kind === 'word' || b?.kind === 'word') return 0;
  return compareParts(a?.kind === 'number' ? a.parts : [], b?.kind === 'number' ? b.parts : []);
}

// Trailing zero parts are already dropped, so a longer list with an equal prefix is greater.
function compareParts(a: readonly string[], b: readonly string[]): Order {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i], b[i]);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

/** Digit strings without leading zeros: longer is larger; no precision limit (4107600010). */
function compareDigits(a: string, b: string): Order {
  return a.length !== b.length ? sign(a.length - b.length) : compareText(a, b);
}

function compareSuffix(x: FirmwareVersion, y: FirmwareVersion): Order {
  const phase = (v: FirmwareVersion) => (v.prerelease.length ? 0 : v.build === null ? 1 : 2);
  const p = sign(phase(x) - phase(y));
  if (p !== 0) return p;
  if (x.build !== null && y.build !== null) return compareDigits(x.build, y.build);
  return comparePrerelease(x.prerelease, y.prerelease);
}

/** semver 2.0 §11: numeric identifiers by value and below alphanumeric ones, which compare in ASCII order; more identifiers win a tie. */
function comparePrerelease(a: readonly string[], b: readonly string[]): Order {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const an = /^\d+$/.test(a[i]);
    const bn = /^\d+$/.test(b[i]);
    const c = an && bn ? compareDigits(a[i].replace(/^0+(?=\d)/, ''), b[i].replace(/^0+(?=\d)/, '')) : an ? -1 : bn ? 1 : compareText(a[i], b[i]);
    if (c !== 0) return c;
  }
  return sign(a.length - b.length);
}

function compareText(a: string, b: string): Order {
  return a === b ? 0 : a < b ? -1 : 1;
}

function sign(n: number): Order {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * The highest version. Versions of a scheme other than the one most of the list uses are
 * ignored (a stray "L81" among "2.x" releases); a tie goes to the scheme listed first. Among
 * equal versions (1.0 and 1.0.0) the first listed is returned, exactly as given.
 */
export function maxVersion(versions: string[]): string | null {
  const groups = new Map<string, FirmwareVersion[]>();
  for (const v of Array.isArray(versions) ? versions : []) {
    const parsed = parseVersion(v);
    if (!parsed) continue;
    const group = groups.get(parsed.scheme);
    if (group) group.push(parsed);
    else groups.set(parsed.scheme, [parsed]);
  }
  let chosen: FirmwareVersion[] = [];
  for (const group of groups.values()) if (group.length > chosen.length) chosen = group;
  let best: FirmwareVersion | null = null;
  for (const v of chosen) if (!best || compareParsed(v, best) === 1) best = v;
  return best?.raw ?? null;
}

/**
 * A total order over ALL versions, for laying out canonical text only (never for deciding
 * containment): by scheme name, then by version, then by text, so equal inputs print alike.
 */
export function compareForLayout(x: FirmwareVersion, y: FirmwareVersion): Order {
  if (x.scheme !== y.scheme) return x.scheme < y.scheme ? -1 : 1;
  return compareParsed(x, y) || compareText(x.text, y.text);
}
