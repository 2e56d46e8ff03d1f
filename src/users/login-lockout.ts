import { createHash } from 'node:crypto';

/** After this many failed passwords or codes in a row, an account is locked... */
export const MAX_FAILED_ATTEMPTS = 5;
/** ...for this long. */
export const LOCKOUT_S = 15 * 60;

/** Whether a person's account is in its lock-out now. */
export function isLocked(user: { lockedUntil: Date | null }, now = Date.now()): boolean {
  return user.lockedUntil !== null && user.lockedUntil.getTime() > now;
}

/**
 * Lock-out for emails that have no account, kept in memory: without it, five wrong passwords
 * would lock a real account (423) but never an unknown one (401 forever), which tells an
 * attacker which emails exist. Bounded: the oldest entries are dropped first.
 */
export class UnknownAccountLockout {
  private readonly entries = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(private readonly capacity = 10_000) {}

  isLocked(email: string, now = Date.now()): boolean {
    return (this.entries.get(key(email))?.lockedUntil ?? 0) > now;
  }

  /** Counts a failure; true when this failure locks the email. */
  recordFailure(email: string, now = Date.now()): boolean {
    const k = key(email);
    const entry = this.entries.get(k) ?? { failures: 0, lockedUntil: 0 };
    this.entries.delete(k);
    entry.failures += 1;
    const locks = entry.failures >= MAX_FAILED_ATTEMPTS;
    if (locks) {
      entry.failures = 0;
      entry.lockedUntil = now + LOCKOUT_S * 1000;
    }
    this.entries.set(k, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return locks;
  }
}

const key = (email: string) => createHash('sha256').update(email).digest('base64url');
