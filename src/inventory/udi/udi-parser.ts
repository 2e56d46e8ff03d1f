/**
 * parseUdi: recognises the issuing agency from the first character and hands the string to
 * the GS1, HIBCC or ICCBBA parser. Never throws; every failure is `{ ok: false, error }`.
 */
import { looksLikeGs1, normalizeGs1Separators, parseGs1 } from './gs1';
import { parseHibcc } from './hibcc';
import { parseIccbba } from './iccbba';
import { Outcome, ParseContext, ParsedUdi, UdiFields, UdiIssuer, UdiParseOptions, UdiParseResult } from './types';

/** Longer input is refused before any parsing (real UDIs are well under 200 characters). */
export const MAX_UDI_LENGTH = 512;

/** AIM symbology identifier a scanner may prepend: ]C1 GS1-128, ]d2 GS1 DataMatrix, ]Q3 GS1 QR, ]e0 DataBar, ]d1 plain DataMatrix... */
const SYMBOLOGY_ID = /^\][A-Za-z][0-9A-Za-z]/;

function dispatch(text: string): { issuer: UdiIssuer; parse: (s: string, ctx: ParseContext) => Outcome<UdiFields> } | undefined {
  if (text.startsWith('+') || text.startsWith('*+')) return { issuer: 'HIBCC', parse: parseHibcc };
  if (text.startsWith('=') || text.startsWith('&')) return { issuer: 'ICCBBA', parse: parseIccbba };
  if (looksLikeGs1(normalizeGs1Separators(text))) return { issuer: 'GS1', parse: parseGs1 };
  return undefined;
}

function parse(input: unknown, options: UdiParseOptions): UdiParseResult {
  if (typeof input !== 'string') return { ok: false, error: `UDI must be a string, got ${input === null ? 'null' : typeof input}` };
  if (input.length > MAX_UDI_LENGTH) {
    return { ok: false, error: `UDI is ${input.length} characters long; at most ${MAX_UDI_LENGTH} are accepted` };
  }
  const text = input.trim().replace(SYMBOLOGY_ID, '');
  if (text.length === 0) return { ok: false, error: 'UDI is empty' };

  const control = [...text].findIndex((ch) => ch < ' ' && ch !== '\u001d');
  if (control >= 0) {
    const code = text.charCodeAt(control).toString(16).toUpperCase().padStart(4, '0');
    return { ok: false, error: `UDI contains control character U+${code} at position ${control + 1}` };
  }

  const route = dispatch(text);
  if (route === undefined) {
    return {
      ok: false,
      error: `not a recognised UDI: GS1 starts with an AI such as (01) or 01, HIBCC with '+', ICCBBA with '=' or '&'; got '${text.slice(0, 12)}'`,
    };
  }

  const issues: string[] = [];
  const notes: string[] = [];
  const ctx: ParseContext = {
    currentYear: (options.now ?? new Date()).getUTCFullYear(),
    issue: (message) => void issues.push(message),
    note: (message) => void notes.push(message),
  };
  const parsed = route.parse(text, ctx);
  // A string that fails outright also reports any check-digit problem already found.
  if (!parsed.ok) return { ok: false, error: [parsed.error, ...issues].join('; ') };

  const strict = options.strict ?? true;
  if (strict && issues.length > 0) return { ok: false, error: issues.join('; ') };
  const udi: ParsedUdi = { issuer: route.issuer, ...parsed.value, raw: input };
  const warnings = [...issues, ...notes];
  if (warnings.length > 0) udi.warnings = warnings;
  return { ok: true, udi };
}

/**
 * Parses a GS1, HIBCC or ICCBBA UDI carrier string (human-readable or as scanned).
 * Strict by default; `{ strict: false }` returns check-digit and DI-length problems as warnings.
 */
export function parseUdi(input: string, options: UdiParseOptions = {}): UdiParseResult {
  try {
    return parse(input, options ?? {});
  } catch (e: unknown) {
    // Not expected; the guarantee to callers is that parseUdi never throws.
    return { ok: false, error: `UDI could not be parsed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
