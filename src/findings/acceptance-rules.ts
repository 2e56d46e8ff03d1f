/**
 * The rules of a risk acceptance (docs/vex-and-acceptance.md). Pure: no Nest, no database.
 *
 * A person accepts the risk of one open finding until a date: the finding leaves the report and
 * the summary until then, and comes back by itself. An acceptance is bounded so that nobody
 * accepts a risk forever by accident: at most MAX_ACCEPTANCE_DAYS ahead, and in the future (a
 * date already past would hide nothing).
 */
export const MAX_ACCEPTANCE_DAYS = 365;
const DAY_MS = 86_400_000;

export type AcceptanceState = 'active' | 'expired' | 'revoked' | 'ended';

/** The expiry as a Date, or the reason it is refused (a message naming the field). */
export function checkExpiry(expiresAt: string, now: Date): { ok: true; at: Date } | { ok: false; message: string } {
  const at = new Date(expiresAt);
  if (Number.isNaN(at.getTime())) return { ok: false, message: 'expiresAt: must be an ISO 8601 date-time with an offset' };
  if (at.getTime() <= now.getTime()) return { ok: false, message: 'expiresAt: must be in the future' };
  if (at.getTime() > now.getTime() + MAX_ACCEPTANCE_DAYS * DAY_MS) {
    return { ok: false, message: `expiresAt: must be at most ${MAX_ACCEPTANCE_DAYS} days from now; accept again when it expires` };
  }
  return { ok: true, at };
}

/**
 * Where an acceptance stands. Revoked wins (a person ended it); then a finding no longer open
 * ends it with the finding (a later finding of the same device and advisory is a new finding,
 * accepted anew or not at all); then time, as the database tells it: `hidesNow` is acceptedNowSql
 * (priority-summary.sql.ts) of the finding, read with it. Never this process's clock: the report
 * and the summary hide a finding by the database's, and all three must agree.
 */
export function acceptanceState(a: { revokedAt: Date | null }, findingStatus: string, hidesNow: boolean): AcceptanceState {
  if (a.revokedAt) return 'revoked';
  if (findingStatus !== 'open') return 'ended';
  return hidesNow ? 'active' : 'expired';
}
