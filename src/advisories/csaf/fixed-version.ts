/**
 * Fixed versions from remediation prose. Real medical advisories never use the `fixed` product
 * status; the fixed version lives in vendor_fix text such as "update ... to Version 3.0 or higher",
 * "Software version 12.5.1 - Remediates CVE-...", "upgrade to v2.4.1" or "install software
 * 028U00093". The rule is "only when clear": a version counts only in one of the phrasings below,
 * and the text must yield exactly one distinct version. Anything else returns null so a person
 * fills it in. Deliberately NOT read as a fix:
 *   - a bare "Product Version C.03" (the same shape also names affected versions:
 *     "Version M.04: Contact ... for an upgrade path"),
 *   - "version 10.17 and earlier" / "and prior",
 *   - wildcard versions ("4.x and above", "9.x"): not one version,
 *   - "included in WBM version 20D30" / "available in": that names a component, not the product.
 * The version is returned raw (minus a leading 'v' before a digit); parsing it is the caller's job.
 */

/**
 * One version-looking token: optional short letter prefix ("C.", "SV", "R"), then a digit, then segments.
 * It only starts at a token boundary (or right after a 'v'), which also keeps matching linear on
 * long digit runs.
 */
const VER = String.raw`(?<![0-9._\-]|[A-UW-Za-uw-z])(?:[A-Za-z]{1,3}[.\-]?)?\d[A-Za-z0-9]*(?:[._\-][A-Za-z0-9*]+)*`;
/** Words that introduce a version: "Version", "ver.", "release", "build", "v" glued to a digit. */
const KEYWORD = String.raw`(?:versions?|ver\.?|releases?|builds?|revisions?|rev\.?)\s*|v(?=\d)`;
/** Optional filler between the anchor and the version: "the latest software version", "firmware". */
const FILLER = String.raw`(?:the\s+)?(?:latest\s+|newest\s+|current\s+)?(?:available\s+)?(?:(?:software|firmware|sw|fw|product)\s+)?(?:${KEYWORD})?\s*`;
/** Sentence-internal text: anything but ; : or a full stop followed by white space / end. */
const SAME_SENTENCE = String.raw`(?:[^.;:!?]|\.(?=\S))`;

const PATTERNS: RegExp[] = [
  // "update/upgrade/install/migrate ... to [the latest] [software] [Version] X"
  new RegExp(
    String.raw`\b(?:update|upgrade|updating|upgrading|install|installing|migrate|migrating|move|patch|apply)\b${SAME_SENTENCE}{0,160}?\bto\s+${FILLER}(${VER})`,
    'gi',
  ),
  // "[Version] X or later / or higher / and above"
  new RegExp(String.raw`(?:\b(?:${KEYWORD}))?\b(${VER})\s*(?:or|and)\s+(?:later|higher|newer|above|greater)\b`, 'gi'),
  // "[Software] Version X mitigates / - Remediates / fixes ..."
  new RegExp(
    String.raw`\b(?:${KEYWORD})\s*(${VER})\s*(?:[,:\-\u2013\u2014]\s*)?(?:which\s+|that\s+)?(?:remediates?|mitigates?|fixes|fix|addresses|resolves|corrects)\b`,
    'gi',
  ),
  // "fixed in / resolved in / addressed in [software] [Version] X"
  new RegExp(String.raw`\b(?:fixed|resolved|remediated|addressed|corrected|patched)\s+in\s+${FILLER}(${VER})`, 'gi'),
  // "install software 028U00093", "apply firmware version 2.1" (a software/firmware/version word is required)
  new RegExp(
    String.raw`\b(?:install|apply|deploy|download)\s+(?:the\s+)?(?:latest\s+)?(?:(?:software|firmware)\s+(?:update\s+|patch\s+)?(?:${KEYWORD})?|(?:${KEYWORD}))\s*(${VER})`,
    'gi',
  ),
];

/** "X and Y", "X, Y", "X or Y", "X / Y" right after a matched version: a second candidate. */
const FOLLOWING_VERSION = new RegExp(String.raw`^\s*(?:,|\band\b|\bor\b|/|&)\s*(?:${KEYWORD})?\s*(${VER})`, 'i');

/** Another "to [software] Version X" later in the same sentence as an update phrase: "... and the app to version 1.3". */
const FURTHER_TARGET = new RegExp(String.raw`\bto\s+(?:the\s+)?(?:latest\s+)?(?:(?:software|firmware)\s+)?(?:${KEYWORD})\s*(${VER})`, 'gi');

/** True for "4.x", "9.x.x", "12.*": a family of versions, not one. */
function isWildcard(v: string): boolean {
  return /(^|[._-])[xX*](?=$|[._-])/.test(v) || v.includes('*');
}

function clean(v: string): string {
  return v.replace(/^v(?=\d)/i, '').trim();
}

/** Every version the text offers as a fix in a recognised phrasing (distinct, document order). */
export function fixedVersionCandidates(text: string): string[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  const found: string[] = [];
  const add = (raw: string): void => {
    const v = clean(raw);
    if (v && !found.includes(v)) found.push(v);
  };
  PATTERNS.forEach((pattern, index) => {
    for (const m of text.matchAll(pattern)) {
      const version = m[1];
      if (!version) continue;
      add(version);
      const end = (m.index ?? 0) + m[0].length;
      // A listed second version ("to versions 2.1 and 2.2") makes the text ambiguous.
      const versionEnd = (m.index ?? 0) + m[0].lastIndexOf(version) + version.length;
      const rest = text.slice(Math.min(versionEnd, end));
      const next = FOLLOWING_VERSION.exec(rest);
      if (next?.[1]) add(next[1]);
      if (index === 0) {
        const sentence = rest.split(/[.;:!?](?:\s|$)/)[0];
        for (const further of sentence.matchAll(FURTHER_TARGET)) if (further[1]) add(further[1]);
      }
    }
  });
  return found;
}

/**
 * The one version a remediation text names as the fix, or null when it names none, several, or
 * only a wildcard family ("4.x"). Examples: "update ... to Version 3.0 or higher" -> "3.0";
 * "upgrade to v2.4.1" -> "2.4.1"; "upgrade to software 028U00093" -> "028U00093";
 * "Versions N.00 and N.01" -> null.
 */
export function extractFixedVersion(text: string): string | null {
  return singleFixedVersion(fixedVersionCandidates(text));
}

/** Exactly one concrete candidate -> it; otherwise null. */
export function singleFixedVersion(candidates: readonly string[]): string | null {
  const distinct = [...new Set(candidates)];
  if (distinct.length !== 1) return null;
  return isWildcard(distinct[0]) ? null : distinct[0];
}
