/**
 * HIBCC (HIBC LIC) UDI strings.
 *
 *   primary:      + LIC(4, first a letter) PCN(1-18) UoM(1 digit) check
 *   concatenated: + LIC PCN UoM / secondary [/ supplemental]... check
 *   secondary:    $$[+]<date flag><date><lot or serial> | $$[+]8QQ<lot or serial> | $$[+]9QQQQQ<lot or serial>
 *                 | $+serial | $lot | YYJJJ lot (original format)
 *   supplemental: /S serial, /14D expiry YYYYMMDD, /16D manufacture YYYYMMDD, /Q quantity (others kept in `other`)
 *
 * The final character is the mod-43 check character over everything before it.
 */
import { calendarDate, expandTwoDigitYear, hourOfDay, ordinalDate } from './dates';
import { fail, HibccDetails, Outcome, ParseContext, succeed, UdiFields } from './types';

const CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

/** Mod-43 check character for `data` (which includes the leading '+'); undefined for characters outside the set. */
export function hibccCheckCharacter(data: string): string | undefined {
  let sum = 0;
  for (const ch of data) {
    const value = CHARSET.indexOf(ch);
    if (value < 0) return undefined;
    sum += value;
  }
  return CHARSET[sum % 43];
}

/** Strips the Code 39 start/stop asterisks that printed HIBCC text often keeps. */
export function stripHibccAsterisks(text: string): string {
  return /^\*\+.*\*$/s.test(text) ? text.slice(1, -1) : text;
}

interface Secondary {
  lotNumber?: string;
  serialNumber?: string;
  expirationDate?: string;
  expirationHour?: number;
  quantity?: number;
}

const MAX_LOT_OR_SERIAL = 18;

function twoDigitYear(yy: string, ctx: ParseContext): number {
  return expandTwoDigitYear(Number(yy), ctx.currentYear);
}

/** The expiry after a date-format flag; returns the date, hour and how many characters it used. */
function secondaryDate(flag: string, data: string, ctx: ParseContext): Outcome<{ date?: string; hour?: number; used: number }> {
  const what = (format: string, length: number): string => `HIBCC expiration date '${data.slice(0, length)}' (${format})`;
  const needDigits = (format: string, length: number): string | undefined =>
    /^\d+$/.test(data.slice(0, length)) && data.length >= length
      ? undefined
      : `HIBCC expiration date must be ${length} digits ${format}, got '${data.slice(0, length)}'`;
  const withDate = (format: string, length: number, build: () => Outcome<string>, hourAt?: number) => {
    const bad = needDigits(format, length);
    if (bad !== undefined) return fail(bad);
    const date = build();
    if (!date.ok) return date;
    if (hourAt === undefined) return succeed({ date: date.value, used: length });
    const hour = hourOfDay(what(format, length), data.slice(hourAt, hourAt + 2));
    if (!hour.ok) return hour;
    return succeed({ date: date.value, hour: hour.value, used: length });
  };
  const ymd = (y: string, m: string, d: string, format: string, length: number) =>
    calendarDate(what(format, length), twoDigitYear(y, ctx), Number(m), Number(d));
  switch (flag) {
    case '0':
    case '1': // MMYY: no flag character, the month's first digit; the day is the month's last.
      return withDate('MMYY', 4, () => calendarDate(what('MMYY', 4), twoDigitYear(data.slice(2, 4), ctx), Number(data.slice(0, 2)), 0, 'last'));
    case '2':
      return withDate('MMDDYY', 6, () => ymd(data.slice(4, 6), data.slice(0, 2), data.slice(2, 4), 'MMDDYY', 6));
    case '3':
      return withDate('YYMMDD', 6, () => ymd(data.slice(0, 2), data.slice(2, 4), data.slice(4, 6), 'YYMMDD', 6));
    case '4':
      return withDate('YYMMDDHH', 8, () => ymd(data.slice(0, 2), data.slice(2, 4), data.slice(4, 6), 'YYMMDDHH', 8), 6);
    case '5':
      return withDate('YYJJJ', 5, () => ordinalDate(what('YYJJJ', 5), twoDigitYear(data.slice(0, 2), ctx), Number(data.slice(2, 5))));
    case '6':
      return withDate('YYJJJHH', 7, () => ordinalDate(what('YYJJJHH', 7), twoDigitYear(data.slice(0, 2), ctx), Number(data.slice(2, 5))), 5);
    case '7':
      return succeed({ used: 0 });
    default:
      return fail(`HIBCC secondary has an unknown date format flag '${flag}' (expected 0-7)`);
  }
}

function lotOrSerial(kind: 'lot' | 'serial', value: string): Outcome<string> {
  if (!/^[0-9A-Z\-. $%]*$/.test(value)) return fail(`HIBCC ${kind} number '${value}' contains invalid characters`);
  if (value.length > MAX_LOT_OR_SERIAL) {
    return fail(`HIBCC ${kind} number is ${value.length} characters; the maximum is ${MAX_LOT_OR_SERIAL}`);
  }
  return succeed(value);
}

function parseSecondary(data: string, ctx: ParseContext): Outcome<Secondary> {
  const out: Secondary = {};
  const assign = (kind: 'lot' | 'serial', value: string): Outcome<Secondary> => {
    const checked = lotOrSerial(kind, value);
    if (!checked.ok) return checked;
    if (checked.value !== '') out[kind === 'lot' ? 'lotNumber' : 'serialNumber'] = checked.value;
    return succeed(out);
  };

  if (data.startsWith('$$')) {
    let rest = data.slice(2);
    const kind = rest.startsWith('+') ? 'serial' : 'lot';
    if (kind === 'serial') rest = rest.slice(1);
    // $$8QQ / $$9QQQQQ: quantity, then the lot or serial with no expiry (as BarcodeParserBuilder reads it).
    if (rest[0] === '8' || rest[0] === '9') {
      const digits = rest[0] === '8' ? 2 : 5;
      const quantity = rest.slice(1, 1 + digits);
      if (!/^\d+$/.test(quantity) || quantity.length !== digits) {
        return fail(`HIBCC quantity after '$$${rest[0]}' must be ${digits} digits, got '${quantity}'`);
      }
      out.quantity = Number(quantity);
      return assign(kind, rest.slice(1 + digits));
    }
    const flag = rest[0] ?? '';
    const dateData = flag === '0' || flag === '1' ? rest : rest.slice(1);
    const date = secondaryDate(flag, dateData, ctx);
    if (!date.ok) return date;
    if (date.value.date !== undefined) out.expirationDate = date.value.date;
    if (date.value.hour !== undefined) out.expirationHour = date.value.hour;
    return assign(kind, dateData.slice(date.value.used));
  }
  if (data.startsWith('$+')) return assign('serial', data.slice(2));
  if (data.startsWith('$')) return assign('lot', data.slice(1));
  // Original format: five-digit YYJJJ expiry, then the lot.
  const julian = data.slice(0, 5);
  if (!/^\d{5}$/.test(julian)) {
    return fail(`HIBCC secondary data must start with '$' or a 5-digit YYJJJ date, got '${data.slice(0, 6)}'`);
  }
  const date = ordinalDate(`HIBCC expiration date '${julian}' (YYJJJ)`, twoDigitYear(julian.slice(0, 2), ctx), Number(julian.slice(2)));
  if (!date.ok) return date;
  out.expirationDate = date.value;
  return assign('lot', data.slice(5));
}

function supplementalDate(id: string, value: string): Outcome<string> {
  if (!/^\d{8}$/.test(value)) return fail(`HIBCC /${id} date must be 8 digits YYYYMMDD, got '${value}'`);
  return calendarDate(`HIBCC /${id} date '${value}'`, Number(value.slice(0, 4)), Number(value.slice(4, 6)), Number(value.slice(6, 8)));
}

export function parseHibcc(text: string, ctx: ParseContext): Outcome<UdiFields> {
  const s = stripHibccAsterisks(text);
  const badAt = [...s].findIndex((ch) => !CHARSET.includes(ch));
  if (badAt >= 0) {
    return fail(`HIBCC data may contain only 0-9, A-Z, '-', '.', space, '$', '/', '+', '%'; found '${s[badAt]}' at position ${badAt + 1}`);
  }
  if (s.length < 8)
    return fail(
      `HIBCC string is too short (${s.length} characters): '+', 4-character labeler code, product code, unit of measure and check character are required`,
    );

  const body = s.slice(0, -1);
  const check = s.slice(-1);
  const expected = hibccCheckCharacter(body);
  if (check !== expected) ctx.issue(`HIBCC check character is ${check}, expected ${expected}`);

  const [primary = '', ...rest] = body.slice(1).split('/');
  if (!/^[A-Z]/.test(primary)) {
    return fail('HIBCC data has no primary part (labeler code starting with a letter): a secondary-only label carries no device identifier');
  }
  const labelerCode = primary.slice(0, 4);
  const productCode = primary.slice(4, -1);
  const unitOfMeasure = primary.slice(-1);
  if (!/^[A-Z][0-9A-Z]{3}$/.test(labelerCode)) return fail(`HIBCC labeler code '${labelerCode}' must be 4 letters or digits, the first a letter`);
  if (!/^[0-9A-Z]{1,18}$/.test(productCode)) {
    return fail(`HIBCC product code '${productCode}' must be 1-18 letters or digits (got ${productCode.length})`);
  }
  if (!/^\d$/.test(unitOfMeasure)) return fail(`HIBCC unit of measure must be a digit 0-9, got '${unitOfMeasure}'`);

  const hibcc: HibccDetails = { labelerCode, productCode, unitOfMeasure };
  const fields: UdiFields = { deviceIdentifier: labelerCode + productCode + unitOfMeasure, hibcc };
  const other: Record<string, string> = {};

  const setOnce = <K extends keyof UdiFields>(key: K, value: UdiFields[K], label: string): string | undefined => {
    if (fields[key] !== undefined && fields[key] !== value) return `HIBCC ${label} appears twice with different values`;
    fields[key] = value;
    return undefined;
  };
  for (const [i, segment] of rest.entries()) {
    // '$' parts carry lot/serial/expiry; the original format (YYJJJ + lot) only right after the primary.
    if (segment.startsWith('$') || (i === 0 && /^\d{5}/.test(segment))) {
      const secondary = parseSecondary(segment, ctx);
      if (!secondary.ok) return secondary;
      const { quantity, expirationHour, lotNumber, serialNumber, expirationDate } = secondary.value;
      const clash =
        (lotNumber === undefined ? undefined : setOnce('lotNumber', lotNumber, 'lot number')) ??
        (serialNumber === undefined ? undefined : setOnce('serialNumber', serialNumber, 'serial number')) ??
        (expirationDate === undefined ? undefined : setOnce('expirationDate', expirationDate, 'expiration date'));
      if (clash !== undefined) return fail(clash);
      if (quantity !== undefined) hibcc.quantity = quantity;
      if (expirationHour !== undefined) hibcc.expirationHour = expirationHour;
      continue;
    }
    const id = /^\d*[A-Z]/.exec(segment)?.[0];
    if (id === undefined) return fail(`HIBCC supplemental data '/${segment}' has no data identifier`);
    const value = segment.slice(id.length);
    let clash: string | undefined;
    if (id === 'S') {
      const serial = lotOrSerial('serial', value);
      if (!serial.ok) return serial;
      clash = setOnce('serialNumber', serial.value, 'serial number');
    } else if (id === '14D' || id === '16D') {
      const date = supplementalDate(id, value);
      if (!date.ok) return date;
      clash = id === '14D' ? setOnce('expirationDate', date.value, 'expiration date') : setOnce('manufactureDate', date.value, 'manufacture date');
    } else if (id === 'Q') {
      if (!/^\d{1,5}$/.test(value)) return fail(`HIBCC /Q quantity must be 1-5 digits, got '${value}'`);
      hibcc.quantity = Number(value);
    } else {
      other[id] = value;
      ctx.note(`HIBCC supplemental data identifier '${id}' is not interpreted; kept in other`);
    }
    if (clash !== undefined) return fail(clash);
  }
  if (Object.keys(other).length > 0) fields.other = other;
  return succeed(fields);
}
