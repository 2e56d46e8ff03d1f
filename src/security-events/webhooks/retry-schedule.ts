/**
 * Exponential backoff with jitter: the attempt after the n-th failure waits base * 2^(n-1),
 * capped at `maxMs`, then spread by +-20 % so that endpoints recovering from an outage are not
 * hit by every replica's retries in the same second.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 40);
  const delay = Math.min(baseMs * 2 ** exponent, maxMs);
  return Math.round(delay * (0.8 + 0.4 * random()));
}

/** A failed delivery is given up only once its retry window since the event has passed. */
export function givesUp(createdAt: Date, now: Date, windowMs: number): boolean {
  return now.getTime() - createdAt.getTime() >= windowMs;
}
