/**
 * RFC 3339 date-time, as the payload rules allow it: seconds and fraction optional, an offset
 * with or without its colon. Only the shape; `parseSentAt` checks that the date exists.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The instant a device's `sentAt` names, or null when it names none. `Date` alone is lenient:
 * it rolls `2025-02-30` over to 2 March and `T24:00` to the next day. So each field is checked
 * against the calendar before the instant is computed: a day the month lacks, hour 24, minute or
 * second 60 (a leap second included) refuse the whole value, as does an offset past 23:59. A
 * fraction is cut to milliseconds, not rounded, so it never moves the time into the next second.
 * Checked by arithmetic rather than by setting a Date and reading its fields back: the same
 * answer (a property test holds them together), at a third of the cost on the heartbeat path.
 */
export function parseSentAt(text: string): Date | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = +m[4];
  const minute = +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  if (day > (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1])) return null;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const oh = +m[9];
    const om = +m[10];
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millisecond = m[7] === undefined ? 0 : +(m[7].length >= 3 ? m[7].slice(0, 3) : m[7].padEnd(3, '0'));
  let utc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  // Date.UTC reads years 0-99 as 1900-1999.
  if (year < 100) utc = new Date(utc).setUTCFullYear(year);
  return new Date(utc - offsetMinutes * 60_000);
}
