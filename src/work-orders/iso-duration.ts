/**
 * ISO 8601 durations as the remediation policy stores them (P2D, P14D, PT12H, P1M, P1Y2M3DT4H).
 * Years and months are calendar steps in UTC (31 Jan + P1M = 3 Mar would surprise nobody less than
 * PostgreSQL's interval arithmetic, which clamps to 28 Feb; we clamp the same way).
 */
const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function isIsoDuration(text: unknown): text is string {
  return typeof text === 'string' && DURATION.test(text);
}

/** `at` plus the duration; null when the text is not an ISO 8601 duration. */
export function addIsoDuration(at: Date, duration: string): Date | null {
  const m = DURATION.exec(duration);
  if (!m) return null;
  const [years, months, weeks, days, hours, minutes] = m.slice(1, 7).map((v) => Number(v ?? 0));
  const seconds = Number(m[7] ?? 0);
  const d = new Date(at.getTime());
  if (years || months) {
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + months + 12 * years);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
  }
  return new Date(d.getTime() + (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + seconds * 1000);
}
