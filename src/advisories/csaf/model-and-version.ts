import { parseRange } from '../../firmware';

export interface ModelAndVersion {
  /** A range expression parseRange reads: a series (`8.x`) or one version (`8.00.01`), without a leading `v`. */
  versions: string;
  /** As written ("35700BAX2"); matched against models like a product_identification_helper model number. */
  modelNumbers: string[];
}

// A version series or one version: 8.x, v9.x, 6.*, 8.00.01, 12.1.3a. Starts with a digit so
// that a model number ("35700BAX2" has digits too, but no dot) is not read as one.
const VERSION = String.raw`v?(\d+(?:\.(?:\d+[A-Za-z0-9]*|[xX*]))+|\d+)`;
const VERSION_PART = String.raw`\(?\s*(?:(?:firmware|software)\s+)?(?:versions?\s+|ver\.?\s*)?${VERSION}\s*\)?`;
// A model number holds at least one digit ("35700BAX2", "8015", "MX-450"): a bare word is prose.
const MODEL_ID = String.raw`(?=[A-Za-z\-_.]*\d)[A-Za-z0-9][A-Za-z0-9\-_.]*`;
const MODEL_LIST = String.raw`(${MODEL_ID}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*${MODEL_ID})*)`;
const MODEL_PART = String.raw`\(?\s*(?:models?|mod\.)(?:\s+(?:no\.|no(?=\s)|numbers?(?=\s|:)|#))?\s*[:#]?\s*${MODEL_LIST}\s*\)?`;
// Required: without it "model 35700BAX2" would read as model 35700BAX, version 2.
const SEPARATOR = String.raw`(?:\s*[,;]\s*|\s+)`;

// Anchored at both ends: a qualifier after the model ("... with Wireless Battery Modules
// v22D19 to v22D28") versions a component, and reading past it would flag on a guess.
const VERSION_THEN_MODEL = new RegExp(String.raw`^${VERSION_PART}${SEPARATOR}${MODEL_PART}$`, 'i');
const MODEL_THEN_VERSION = new RegExp(String.raw`^${MODEL_PART}${SEPARATOR}${VERSION_PART}$`, 'i');

const MAX_LENGTH = 200;

/**
 * Reads a CSAF version (or product name) that names a model and its version series in one
 * string, as CISA's ICSMA-22-251-01 does: "8.x model 35700BAX2", "(v9.x) model 35700BAX3",
 * "model 35700BAX2, version 8.00.01". Text before a colon is the product's name and is skipped
 * ("Sigma Spectrum: v8.x model 35700BAX2"). Null when the text is no such pair, or anything
 * else follows it: nothing is guessed. Pure; never throws.
 */
export function readModelAndVersion(text: string): ModelAndVersion | null {
  if (typeof text !== 'string' || text.length > MAX_LENGTH) return null;
  const t = text.replace(/\s+/g, ' ').trim();
  const afterName = t.includes(': ') ? t.slice(t.lastIndexOf(': ') + 2) : t;
  for (const candidate of new Set([t, afterName])) {
    const read = readPair(candidate);
    if (read) return read;
  }
  return null;
}

function readPair(text: string): ModelAndVersion | null {
  const first = VERSION_THEN_MODEL.exec(text);
  const second = first ? null : MODEL_THEN_VERSION.exec(text);
  const [version, models] = first ? [first[1], first[2]] : second ? [second[2], second[1]] : [null, null];
  if (!version || !models || !balanced(text)) return null;
  if (!parseRange(version).ok) return null;
  const modelNumbers = [
    ...new Set(
      models
        .split(/\s*(?:,|\/|&|\band\b|\bor\b)\s*/i)
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
  return { versions: version, modelNumbers };
}

/** "(v9.x) model X" yes, "v9.x) model X" no: a stray bracket means the text is something else. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
