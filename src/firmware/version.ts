/**
 * Reading one firmware version as vendors write it.
 *
 * Two families, because semver covers only part of what medical vendors ship:
 *
 * - `numeric`: dotted numbers of any length (2.4.1, 1.2, 1.2.3.4567, 8.00.01, 4107600010.23),
 *   optionally followed by a semver pre-release (`-rc.1`) and/or build metadata (`+sha`).
 *   Parts are numbers, so leading zeros do not count (8.00.01 == 8.0.1 < 8.01.00), and missing
 *   trailing parts are zeros (1.0 == 1.0.0 == 1), as semver would say if it accepted 2 parts.
 *   Vendor exception: a single all-digit identifier after '-' (5.17.1-754993421) is a vendor
 *   BUILD number, not a semver pre-release. Vendors (BD, Philips) use it for a later build of
 *   the same release; reading it as a pre-release would put the device BELOW 5.17.1 and hide it
 *   from a "<=5.17.1" advisory. So 5.17.1 < 5.17.1-754993421 < 5.17.1-754993422 < 5.17.2.
 *   This is the only place the order departs from semver.compare.
 *
 * - `vendor:<shape>`: anything else made of letter and digit runs (2.6A, B.06.18, R4.1L1, L81,
 *   012U000061, 2023.3_Build_9342, "1.1.3 MR Build 11", HD 16, 22D19). The text is cut into
 *   alternating segments: a number group (digit runs joined by '.'), a single letter (an
 *   ordinal: B < C), or a word of 2+ letters (BT, HD, MR, Build: a fixed marker, not ordered).
 *   The shape lists the segments (N, A, [word]) and decides comparability: two versions
 *   compare only when their shapes are equal, so L82 (`A`) against 028U000061 (`NA`) is "not
 *   comparable", never a guess. A trailing number group is optional in the shape and counts
 *   as 0 when missing (N == N.0, 2.6A < 2.6A1), the same rule as 1.0 == 1.0.0.
 *
 * Prose, dates, wildcards and unknown long words are not versions (null), so text such as
 * "2.3.6 and below" or "May 2018" can never be mistaken for a version.
 */

export type Segment =
  | { readonly kind: 'number'; readonly parts: readonly string[] }
  | { readonly kind: 'letter'; readonly value: string }
  | { readonly kind: 'word'; readonly value: string };

export interface FirmwareVersion {
  /** Exactly as given. */
  readonly raw: string;
  /** Trimmed, inner white space collapsed: how ranges print it. */
  readonly text: string;
  /** `numeric`, or `vendor:<shape>`. Only versions of one scheme are compared. */
  readonly scheme: string;
  /** Number parts are digit strings without leading zeros, trailing zero parts removed. */
  readonly segments: readonly Segment[];
  /** numeric scheme: semver pre-release identifiers (empty when none). */
  readonly prerelease: readonly string[];
  /** numeric scheme: vendor build number after '-', digits without leading zeros; else null. */
  readonly build: string | null;
}

export const MAX_VERSION_LENGTH = 64;

// semver's grammar for pre-release and metadata, on any number of dotted parts.
const NUMERIC = /^[vV]?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const ALLOWED = /^[A-Za-z0-9._\-+ ]+$/;
const DATE = [/^\d{1,2}\/\d{1,2}\/\d{2,4}$/, /^\d{4}-\d{1,2}-\d{1,2}$/];
// A lone x or an x/* part after a dot (5.x, 12.2.x.x); "X.01" stays a letter version.
const WILDCARD = /^[xX*]$|\.[xX*](?=$|[.\s])/;
const MONTHS = new Set(
  'jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december'.split(' '),
);
// Short words that make a string prose; any word of 4+ letters must be in BUILD_WORDS instead.
const PROSE = new Set('and or to of in on at up all any the for with than from thru via per not see'.split(' '));
const BUILD_WORDS = new Set('build patch hotfix release revision beta alpha update service pack preview final snapshot'.split(' '));
const MAX_SEGMENTS = 16;

type Read = { ok: true; version: FirmwareVersion } | { ok: false; problem: string };

export function parseVersion(raw: string): FirmwareVersion | null {
  const read = readVersion(raw);
  return read.ok ? read.version : null;
}

/** Why `raw` is not a version (for error messages), or null when it is one. */
export function versionProblem(raw: string): string | null {
  const read = readVersion(raw);
  return read.ok ? null : read.problem;
}

function readVersion(raw: string): Read {
  if (typeof raw !== 'string') return { ok: false, problem: 'is not text' };
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return { ok: false, problem: 'is empty' };
  if (text.length > MAX_VERSION_LENGTH) return { ok: false, problem: `is longer than ${MAX_VERSION_LENGTH} characters` };
  if (DATE.some((d) => d.test(text))) return { ok: false, problem: 'looks like a date, not a version' };
  if (WILDCARD.test(text)) return { ok: false, problem: 'is a wildcard (a range of versions), not one version' };
  const numeric = NUMERIC.exec(text);
  if (numeric) return { ok: true, version: numericVersion(raw, text, numeric) };
  const bad = [...text].find((c) => !ALLOWED.test(c));
  if (bad !== undefined) return { ok: false, problem: `contains ${JSON.stringify(bad)}, which is not a version character` };
  return vendorVersion(raw, text);
}

function numericVersion(raw: string, text: string, m: RegExpExecArray): FirmwareVersion {
  const suffix = m[2];
  const isBuild = suffix !== undefined && /^\d+$/.test(suffix);
  return {
    raw,
    text,
    scheme: 'numeric',
    segments: [{ kind: 'number', parts: numberParts(m[1]) }],
    prerelease: suffix !== undefined && !isBuild ? suffix.split('.') : [],
    build: isBuild ? stripZeros(suffix) : null,
  };
}

function vendorVersion(raw: string, text: string): Read {
  // "v22D28", "V2.4": a v glued to a digit is decoration, not part of the version.
  const body = /^[vV]\d/.test(text) ? text.slice(1) : text;
  const runs = body.match(/\d+|[A-Za-z]+|[._\-+ ]+/g) ?? [];
  const segments: Segment[] = [];
  let separator: string | null = null;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    if (/^[._\-+ ]/.test(run)) {
      if (run.length > 1 || i === 0 || i === runs.length - 1) return { ok: false, problem: `has a stray separator ${JSON.stringify(run)}` };
      separator = run;
      continue;
    }
    const previous = segments[segments.length - 1];
    if (/^\d/.test(run)) {
      if (previous?.kind === 'number' && separator === '.') {
        segments[segments.length - 1] = { kind: 'number', parts: [...rawParts(previous), run] };
      } else if (previous?.kind === 'number' && separator === ' ') {
        // "1.0 2.0" is two versions, not one.
        return { ok: false, problem: 'has numbers separated by a space' };
      } else {
        segments.push({ kind: 'number', parts: [run] });
      }
    } else {
      const word = run.toLowerCase();
      if (MONTHS.has(word)) return { ok: false, problem: `names the month ${JSON.stringify(run)}: a date, not a version` };
      if (PROSE.has(word) || (word.length > 3 && !BUILD_WORDS.has(word))) {
        return { ok: false, problem: `contains the word ${JSON.stringify(run)}: prose, not a version` };
      }
      segments.push(word.length === 1 ? { kind: 'letter', value: word } : { kind: 'word', value: word });
    }
    separator = null;
  }
  if (segments.length > MAX_SEGMENTS) return { ok: false, problem: 'has too many parts to be a version' };
  const lone = segments.length === 1 && segments[0].kind === 'letter';
  if (!lone && !segments.some((s) => s.kind === 'number')) return { ok: false, problem: 'has no number' };
  const normalized = segments.map((s) => (s.kind === 'number' ? { kind: 'number' as const, parts: numberParts(s.parts.join('.')) } : s));
  return { ok: true, version: { raw, text, scheme: `vendor:${shapeOf(normalized)}`, segments: normalized, prerelease: [], build: null } };
}

/** The comparability signature. A trailing number group is optional, so it is left out. */
function shapeOf(segments: readonly Segment[]): string {
  const codes = segments.map((s) => (s.kind === 'number' ? 'N' : s.kind === 'letter' ? 'A' : `[${s.value}]`));
  if (segments[segments.length - 1]?.kind === 'number') codes.pop();
  return codes.join('');
}

// While tokenizing, number groups hold the digit runs as written; numberParts normalizes them after.
function rawParts(s: Segment): string[] {
  return s.kind === 'number' ? [...s.parts] : [];
}

/**
 * Digit strings, not JS numbers, so 4107600010 or a 20-digit build compare exactly. Trailing
 * zeros go, which makes 1.0 == 1.0.0 and lets a longer list with an equal prefix be the greater
 * ("08.00.010" -> ["8", "0", "10"]; "1.0.0" -> ["1"]; "0" -> []).
 */
function numberParts(dotted: string): string[] {
  const parts = dotted.split('.').map(stripZeros);
  while (parts.length && parts[parts.length - 1] === '0') parts.pop();
  return parts;
}

function stripZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}
