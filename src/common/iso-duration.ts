/**
 * ISO 8601 durations (P2D, P14D, PT12H, P1M, P1Y2M3DT4H, PT1.5S): the one reader for the
 * remediation policy's due times and the recurring maintenance windows (docs/decisions.md, "One
 * ISO 8601 duration grammar").
 *
 * The remediation policy's durations are read twice: by PostgreSQL as intervals
 * (`since + due::interval`) and here for the work orders' fallback due date, so the grammar is a
 * subset of what PostgreSQL's interval input accepts, and both sides must compute the same time:
 * - designator form only, upper case, no sign, at least one number (`P`, `PT` refused);
 * - whole numbers, except a decimal fraction (with a point) on the seconds, the lowest part;
 * - at most five significant digits a number, six for the seconds (a week, 604800 s, in seconds),
 *   leading zeros aside. The largest one is about 110,500 years (from 2026 it ends in year
 *   112,560), inside both PostgreSQL's timestamps (294,276 AD) and JavaScript's dates
 *   (275,760 AD); a six-digit year already overflows both (with no bound, a recurring window
 *   of P999999Y passed as valid and had no end).
 * Years and months are calendar steps in UTC, clamped to the month's last day like PostgreSQL's
 * interval arithmetic (31 Jan + P1M = 28 Feb, not 3 Mar); the rest is exact time.
 */
export const ISO_DURATION =
  /^P(?=\d|T\d)(?:(0*\d{1,5})Y)?(?:(0*\d{1,5})M)?(?:(0*\d{1,5})W)?(?:(0*\d{1,5})D)?(?:T(?=\d)(?:(0*\d{1,5})H)?(?:(0*\d{1,5})M)?(?:(0*\d{1,6}(?:\.\d+)?)S)?)?$/;

export function isIsoDuration(text: unknown): text is string {
  return typeof text === 'string' && ISO_DURATION.test(text);
}

/** `at` plus the duration; null when the text is not an ISO 8601 duration of this grammar. */
export function addIsoDuration(at: Date, duration: string): Date | null {
  const m = ISO_DURATION.exec(duration);
  if (!m) return null;
  const [years, months, weeks, days, hours, minutes] = m.slice(1, 7).map((v) => Number(v ?? 0));
  // Whole milliseconds from the digits, not from a float: 1.005 * 1000 is 1004.99..., and a float
  // sum far from 1970 rounds to the nearest millisecond. Past the millisecond is dropped (Date's precision).
  const [whole, fraction = ''] = (m[7] ?? '0').split('.');
  const milliseconds = Number(whole) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
  const d = new Date(at.getTime());
  if (years || months) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months + 12 * years);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(d.getTime() + (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + milliseconds);
}
