import { Frequency, RRule } from 'rrule';
import { addIsoDuration, isIsoDuration } from '../common/iso-duration';

/** A department's standing maintenance window: an RFC 5545 RRULE in a time zone, lasting a duration. */
export interface RecurringWindow {
  /** The RRULE value, e.g. `FREQ=WEEKLY;BYDAY=TU;BYHOUR=22;BYMINUTE=0`; hours are wall-clock time in `timeZone`. */
  rrule: string;
  /** ISO 8601, e.g. PT4H. */
  duration: string;
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
}

/** Maintenance recurs by the day at most often: a finer rule is a mistake, and costly to expand. */
const FREQUENCIES = new Set<Frequency>([Frequency.YEARLY, Frequency.MONTHLY, Frequency.WEEKLY, Frequency.DAILY]);
const MAX_DURATION_MS = 7 * 86_400_000;

/** What is wrong with a recurring window, naming the field; null when it is usable. */
export function recurringWindowProblem(w: RecurringWindow): string | null {
  if (!isTimeZone(w.timeZone)) return `timeZone: not an IANA time zone: ${w.timeZone}`;
  if (!isIsoDuration(w.duration)) return 'duration: must be an ISO 8601 duration such as PT4H';
  const end = addIsoDuration(new Date(0), w.duration)!.getTime();
  if (end <= 0 || end > MAX_DURATION_MS) return 'duration: must be longer than zero and at most 7 days';
  if (/DTSTART|TZID|[\r\n]/i.test(w.rrule) || /^RRULE:/i.test(w.rrule))
    return 'rrule: give the RRULE value only (FREQ=...;...), without RRULE:, DTSTART or TZID';
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(w.rrule);
  } catch (e) {
    return `rrule: ${(e as Error).message}`;
  }
  if (options.freq === undefined || !FREQUENCIES.has(options.freq)) return 'rrule: FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY';
  // A standing window has no end: change or remove it when it ends.
  if (options.until || options.count) return 'rrule: UNTIL and COUNT are not supported (a standing window never ends; change it when it does)';
  if (!nextSlot(w, new Date())) return 'rrule: yields no slot';
  return null;
}

/**
 * The next slot of the window starting at or after `after`, or null when the rule has no more.
 * The rule is expanded in the zone's wall-clock time ("floating", as RFC 5545 does with TZID),
 * then each start is placed in the zone: 22:00 in Berlin is 21:00Z in winter and 20:00Z in summer.
 */
export function nextSlot(w: RecurringWindow, after: Date): { start: Date; end: Date } | null {
  // Expanded from the day before `after` (any earlier day gives the same slots: no COUNT or UNTIL).
  const dtstart = new Date(wallClock(after, w.timeZone) - 86_400_000);
  dtstart.setUTCHours(0, 0, 0, 0);
  const rule = new RRule({ ...RRule.parseString(w.rrule), dtstart });
  let from = new Date(wallClock(after, w.timeZone) - 86_400_000);
  for (let i = 0; i < 3; i++) {
    const next = rule.after(from, true);
    if (!next) return null;
    const start = fromWallClock(next.getTime(), w.timeZone);
    if (start >= after) return { start, end: addIsoDuration(start, w.duration)! };
    from = new Date(next.getTime() + 1000);
  }
  return null;
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** The wall-clock time in `tz` at `instant`, as milliseconds of a UTC date with the same fields. */
function wallClock(instant: Date, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** The instant whose wall-clock time in `tz` is `wall` (a time skipped by a DST change moves forward with it). */
function fromWallClock(wall: number, tz: string): Date {
  const offsetAt = (ms: number) => wallClock(new Date(ms), tz) - Math.floor(ms / 1000) * 1000;
  let guess = wall - offsetAt(wall);
  const second = offsetAt(guess);
  if (wall - second !== guess) guess = wall - second;
  return new Date(guess);
}
