import { parseRange } from './version-range';

// One version token: no spaces, ends in a letter, digit or wildcard (so a closing "." is not taken).
const V = String.raw`([A-Za-z0-9](?:[A-Za-z0-9._\-+*]*[A-Za-z0-9*])?)`;
// What may stand right before a version in "<V> and prior": the start, a colon, the word version(s), or "v" glued to a digit.
const LEAD = String.raw`(?:^|:\s*|\bversions?\s+|\bver\.?\s*|\s(?=v\d))v?`;
const END = String.raw`\s*[.;,]?$`;

/**
 * Phrasings of advisories' product names and version fields, each anchored at the END of
 * the text so that a version mentioned in passing ("... with Wireless Battery Modules v22D19
 * to v22D28", which versions a component, not the product) is never taken for the product's.
 */
const PHRASES: ReadonlyArray<{ pattern: RegExp; range: (m: RegExpExecArray) => string }> = [
  // "versions prior to Version 8.2.2", "VC150: prior to Version 1.7.15", "All versions before 3.0"
  {
    pattern: new RegExp(
      String.raw`(?:^|[\s:])(?:prior\s+to|before|earlier\s+than|older\s+than|lower\s+than|less\s+than|below)\s+(?:versions?\s+|ver\.?\s*)?v?${V}${END}`,
      'i',
    ),
    range: (m) => `<${m[1]}`,
  },
  // "versions up to and including 3.0", "prior to and including 3.0", "through 3.0"
  {
    pattern: new RegExp(String.raw`(?:^|[\s:])(?:(?:up\s+to|prior\s+to)\s+and\s+including|through)\s+(?:versions?\s+|ver\.?\s*)?v?${V}${END}`, 'i'),
    range: (m) => `<=${m[1]}`,
  },
  // "Versions 9.33 and prior", "2.3.6 and  below", "Version 3.0.0.0 and previous versions", "v12.1.3 and prior"
  {
    pattern: new RegExp(
      String.raw`${LEAD}${V}\s+(?:and|or)\s+(?:all\s+)?(?:prior|earlier|below|before|lower|older|previous|under)(?:\s+(?:versions?|releases?))?${END}`,
      'i',
    ),
    range: (m) => `<=${m[1]}`,
  },
  // "Version 2.0 and later", "4.x and above"
  {
    pattern: new RegExp(String.raw`${LEAD}${V}\s+(?:and|or)\s+(?:all\s+)?(?:later|above|newer|higher|after|greater)(?:\s+(?:versions?|releases?))?${END}`, 'i'),
    range: (m) => `>=${m[1]}`,
  },
  // "< 8.2.2", "AW: <= 4.6", "≤ 2.6A"
  { pattern: new RegExp(String.raw`(?:^|:\s*)(<=|>=|<|>|=)\s*v?${V}${END}`, 'i'), range: (m) => `${m[1]}${m[2]}` },
  // "Database (DB) Manager: Version 3.0.1.0": one named version. The word "version" is required.
  { pattern: new RegExp(String.raw`(?:^|[\s:])(?:versions?|ver\.?)\s*v?${V}${END}`, 'i'), range: (m) => `=${m[1]}` },
];

const ALL_VERSIONS = /(?:^|[\s:])(?:all|any)\s+versions?\.?$/i;

/**
 * Reads a CSAF/CISA product *name* phrase as a range expression: "All versions" -> "*",
 * "versions prior to Version 8.2.2" -> "<8.2.2", "Versions 9.33 and prior" -> "<=9.33",
 * "2.3.6 and  below" -> "<=2.3.6", "< 8.2.2" -> "<8.2.2". Null when the text is no such
 * phrase or its version cannot be read: the caller then shows it to a person.
 */
export function rangeFromProductPhrase(text: string): string | null {
  if (typeof text !== 'string') return null;
  const t = text.replace(/\s+/g, ' ').replace(/≤/g, '<=').replace(/≥/g, '>=').trim();
  if (!t || t.length > 300) return null;
  if (ALL_VERSIONS.test(t)) return '*';
  for (const { pattern, range } of PHRASES) {
    const m = pattern.exec(t);
    const expression = m ? range(m) : null;
    if (expression && parseRange(expression).ok) return expression;
  }
  return null;
}
