/**
 * GS1 UDI strings: human-readable "(01)…(17)…" (or "{01}…" as some documents print it) and
 * raw element strings "01…17…10…<GS>21…" as a scanner transmits them.
 */
import { calendarDate, DayZero, expandTwoDigitYear } from './dates';
import { AI82, AiSpec, aiLengthForPrefix, lookupAi } from './gs1-ai';
import { computeGtinCheckDigit, isValidGtinCheckDigit } from './gtin';
import { fail, Outcome, ParseContext, succeed, UdiFields } from './types';

export const GS = '\u001d';

/**
 * Textual stand-ins for the GS (FNC1) separator that scanners, label software and documents
 * emit: `<GS>`, `[GS]`, `{GS}`, `<FNC1>`, `[FNC1]`, `{FNC1}` (any case) and U+241D (the
 * visible "GS" symbol). None of `<`, `[` or `{` followed by these letters forms an AI, and
 * `[ ] { }` are outside the GS1 character set, so the substitution cannot eat real data
 * except the unlikely literal text "<GS>" inside a lot number.
 */
const GS_ESCAPES = /<GS>|\[GS\]|\{GS\}|<FNC1>|\[FNC1\]|\{FNC1\}|\u241d/gi;

export function normalizeGs1Separators(input: string): string {
  // A leading FNC1/GS only marks the symbol as GS1; it separates nothing.
  const text = input.replace(GS_ESCAPES, GS);
  let start = 0;
  while (text[start] === GS) start++;
  return text.slice(start);
}

/** True when the (already normalised) text can only be meant as GS1. */
export function looksLikeGs1(text: string): boolean {
  return /^[({]\d/.test(text) || /^\d/.test(text);
}

interface Element {
  ai: string;
  value: string;
}

const AI_TOKEN = /\((\d{2,4})\)|\{(\d{2,4})\}/g;

function splitHumanReadable(s: string): Outcome<Element[]> {
  const tokens = [...s.matchAll(AI_TOKEN)];
  const first = tokens[0];
  if (first === undefined || first.index !== 0) {
    return fail(`GS1 human-readable text must start with an AI in parentheses such as (01), got '${s.slice(0, 8)}'`);
  }
  return succeed(
    tokens.map((token, i) => {
      const start = (token.index ?? 0) + token[0].length;
      const next = tokens[i + 1];
      const end = next === undefined ? s.length : (next.index ?? s.length);
      return { ai: token[1] ?? token[2] ?? '', value: s.slice(start, end).replaceAll(GS, '').trim() };
    }),
  );
}

function splitElementString(s: string): Outcome<Element[]> {
  const out: Element[] = [];
  let pos = 0;
  while (pos < s.length) {
    if (s[pos] === GS) {
      pos++;
      continue;
    }
    const at = `at position ${pos + 1}`;
    const prefix = s.slice(pos, pos + 2);
    if (!/^\d\d$/.test(prefix)) {
      return fail(`expected a GS1 AI (digits) ${at}, found '${s.slice(pos, pos + 6)}'`);
    }
    const aiLength = aiLengthForPrefix(prefix);
    if (aiLength === undefined) {
      return fail(`unknown GS1 AI starting '${prefix}' ${at}: its length is unknown, so the rest cannot be split`);
    }
    const ai = s.slice(pos, pos + aiLength);
    if (!/^\d+$/.test(ai) || ai.length < aiLength) {
      return fail(`GS1 AI '${ai}' ${at} is incomplete: AIs starting '${prefix}' have ${aiLength} digits`);
    }
    const spec = lookupAi(ai);
    if (spec === undefined) {
      return fail(`unknown GS1 AI (${ai}) ${at}: its data length is unknown, so the rest cannot be split`);
    }
    pos += aiLength;
    let value: string;
    if (spec.fixed !== undefined) {
      value = s.slice(pos, pos + spec.fixed);
      const gsAt = value.indexOf(GS);
      const got = gsAt >= 0 ? gsAt : value.length;
      if (got < spec.fixed) {
        return fail(`AI (${ai}) ${spec.title} needs ${spec.fixed} characters, got ${got} (truncated)`);
      }
      pos += spec.fixed;
    } else {
      const gsAt = s.indexOf(GS, pos);
      const end = gsAt < 0 ? s.length : gsAt;
      value = s.slice(pos, end);
      if (spec.max !== undefined && value.length > spec.max) {
        return fail(`AI (${ai}) ${spec.title} is ${value.length} characters; the maximum is ${spec.max} (is a GS separator missing?)`);
      }
      pos = end;
    }
    out.push({ ai, value });
  }
  return succeed(out);
}

function checkValue(ai: string, spec: AiSpec, value: string): string | undefined {
  const label = `AI (${ai}) ${spec.title}`;
  if (value.length === 0) return `${label} is empty`;
  if (spec.fixed !== undefined && value.length !== spec.fixed) {
    return `${label} must be ${spec.fixed} characters, got ${value.length}`;
  }
  if (spec.max !== undefined && value.length > spec.max) {
    return `${label} is ${value.length} characters; the maximum is ${spec.max}`;
  }
  if (spec.numeric && !/^\d+$/.test(value)) return `${label} must be digits only, got '${value}'`;
  if (!AI82.test(value)) {
    const bad = [...value].find((ch) => !AI82.test(ch)) ?? '';
    const shown = bad < ' ' || bad > '~' ? `U+${bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}` : `'${bad}'`;
    return `${label} contains ${shown}, which is not allowed in GS1 data`;
  }
  return undefined;
}

/** The GTIN of AI (01): 14 digits with a valid check digit (a GTIN-8/12/13 as printed is relaxable). */
function checkGtin(value: string, humanReadable: boolean, ctx: ParseContext): string | undefined {
  if (!/^\d+$/.test(value)) return `AI (01) GTIN must be digits only, got '${value}'`;
  if (value.length !== 14) {
    if (!humanReadable || ![8, 12, 13].includes(value.length)) {
      return `AI (01) GTIN must be 14 digits, got ${value.length}`;
    }
    ctx.issue(`AI (01) GTIN must be 14 digits, got ${value.length} (a GTIN-${value.length} is padded with leading zeros)`);
  }
  if (!isValidGtinCheckDigit(value)) {
    ctx.issue(`GTIN check digit is ${value.slice(-1)}, expected ${computeGtinCheckDigit(value.slice(0, -1))}`);
  }
  return undefined;
}

/** Day 00: "last day of the month" for the expiry-like dates, per GS1; 1st for the others (noted). */
const DAY_ZERO: Record<string, DayZero> = { '12': 'last', '15': 'last', '16': 'last', '17': 'last' };

function gs1Date(ai: string, spec: AiSpec, value: string, ctx: ParseContext): Outcome<string> {
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const dd = Number(value.slice(4, 6));
  const dayZero = DAY_ZERO[ai] ?? 'first';
  const result = calendarDate(`AI (${ai}) ${spec.title} '${value}'`, expandTwoDigitYear(yy, ctx.currentYear), mm, dd, dayZero);
  if (result.ok && dd === 0 && dayZero === 'first') {
    ctx.note(`AI (${ai}) ${spec.title} '${value}' has no day (00); read as the 1st of the month`);
  }
  return result;
}

export function parseGs1(text: string, ctx: ParseContext): Outcome<UdiFields> {
  const s = normalizeGs1Separators(text);
  const humanReadable = /^[({]/.test(s);
  const split = humanReadable ? splitHumanReadable(s) : splitElementString(s);
  if (!split.ok) return split;

  const fields: Partial<UdiFields> = {};
  const other: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const { ai, value } of split.value) {
    const previous = seen.get(ai);
    if (previous !== undefined) {
      if (previous !== value) return fail(`AI (${ai}) appears twice with different values '${previous}' and '${value}'`);
      continue;
    }
    seen.set(ai, value);

    const spec = lookupAi(ai);
    if (spec === undefined) {
      // Only reachable in human-readable text, where parentheses delimit the data.
      const expected = aiLengthForPrefix(ai.slice(0, 2));
      if (expected !== undefined && expected !== ai.length) {
        return fail(`(${ai}) is not a GS1 AI: AIs starting '${ai.slice(0, 2)}' have ${expected} digits`);
      }
      if (value.length === 0) return fail(`AI (${ai}) is empty`);
      ctx.note(`AI (${ai}) is not known to this parser; kept unvalidated in other`);
      other[ai] = value;
      continue;
    }

    if (ai === '01') {
      const error = checkGtin(value, humanReadable, ctx);
      if (error !== undefined) return fail(error);
      fields.deviceIdentifier = value;
      continue;
    }
    const error = checkValue(ai, spec, value);
    if (error !== undefined) return fail(error);

    if (spec.date) {
      const iso = gs1Date(ai, spec, value, ctx);
      if (!iso.ok) return iso;
      if (ai === '17') fields.expirationDate = iso.value;
      else if (ai === '11') fields.manufactureDate = iso.value;
      else other[ai] = value;
    } else if (ai === '10') fields.lotNumber = value;
    else if (ai === '21') fields.serialNumber = value;
    else if (ai === '8012') fields.softwareVersion = value;
    else other[ai] = value;
  }

  const { deviceIdentifier } = fields;
  if (deviceIdentifier === undefined) {
    return fail('GS1 string has no AI (01) GTIN, so it carries no device identifier');
  }
  const result: UdiFields = { ...fields, deviceIdentifier };
  if (Object.keys(other).length > 0) result.other = other;
  return succeed(result);
}
