/** Calendar helpers shared by the GS1, HIBCC and ICCBBA parsers. */
import { fail, Outcome, succeed } from './types';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export const isoDate = (year: number, month: number, day: number): string => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;

export const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

const isLeapYear = (year: number): boolean => daysInMonth(year, 2) === 29;

/**
 * GS1 General Specifications 7.12: a two-digit year is placed in the century that puts it
 * no more than 49 years in the past or 50 years in the future of `currentYear`.
 */
export function expandTwoDigitYear(yy: number, currentYear: number): number {
  const century = Math.floor(currentYear / 100) * 100;
  const diff = yy - (currentYear % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** Day 00 handling: 'last' (GS1 expiry), 'first' (unspecified day of a production date) or 'reject'. */
export type DayZero = 'last' | 'first' | 'reject';

/** Validates year/month/day and returns an ISO date; `what` names the field in messages. */
export function calendarDate(what: string, year: number, month: number, day: number, dayZero: DayZero = 'reject'): Outcome<string> {
  if (month < 1 || month > 12) return fail(`${what} has month ${pad(month, 2)} (must be 01-12)`);
  const lastDay = daysInMonth(year, month);
  if (day === 0 && dayZero !== 'reject') {
    return succeed(isoDate(year, month, dayZero === 'last' ? lastDay : 1));
  }
  if (day < 1 || day > lastDay) {
    return fail(`${what} has day ${pad(day, 2)}, but ${pad(year, 4)}-${pad(month, 2)} has ${lastDay} days`);
  }
  return succeed(isoDate(year, month, day));
}

/** Ordinal ("Julian") day of a year, 1-365 or 1-366. */
export function ordinalDate(what: string, year: number, ordinal: number): Outcome<string> {
  const daysInYear = isLeapYear(year) ? 366 : 365;
  if (ordinal < 1 || ordinal > daysInYear) {
    return fail(`${what} has day-of-year ${pad(ordinal, 3)}, but ${year} has ${daysInYear} days`);
  }
  const date = new Date(Date.UTC(year, 0, ordinal));
  return succeed(isoDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()));
}

/** Hour 00-23. */
export function hourOfDay(what: string, hh: string): Outcome<number> {
  const hour = Number(hh);
  return hour <= 23 ? succeed(hour) : fail(`${what} has hour ${hh} (must be 00-23)`);
}
