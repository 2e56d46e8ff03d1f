/**
 * Strict ISO 8601 / RFC 3339 for what comes in over the API. `Date.parse` and class-validator's
 * IsDateString accept text the calendar lacks (2023-02-29 rolls to 1 March in JavaScript) or that
 * PostgreSQL refuses (year 0000, week dates like 2024-W01): one answers wrong rows, the other a 500.
 * Only text that names one real instant, the same in JavaScript and PostgreSQL, passes.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

/** A calendar day `YYYY-MM-DD` that exists, year 0001 to 9999. */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = DAY.exec(text);
  return m !== null && isRealDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An instant with its offset (`2026-02-28T13:45:00Z`, `...T13:45:00.123+01:00`): a real day,
 * hours 00-23, minutes and seconds 00-59, at most microseconds (PostgreSQL's precision), an
 * offset within +-14:00. Without an offset the text would mean a different instant per server.
 */
export function isIsoInstant(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const m = INSTANT.exec(text);
  if (!m) return false;
  const [, y, mo, d, h, mi, s = '00', , zone, , oh, om] = m;
  if (!isRealDay(Number(y), Number(mo), Number(d))) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return false;
  if (zone !== 'Z' && (Number(oh) > 14 || Number(om) > 59 || (Number(oh) === 14 && Number(om) > 0))) return false;
  return true;
}
