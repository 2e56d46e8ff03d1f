import type { DigestFacts } from './security-events.repository';

/** The roles a digest is written for: the people who act on it. Manufacturers get none. */
export const DIGEST_ROLES = ['it', 'biomed', 'admin'] as const;
export type DigestRole = (typeof DIGEST_ROLES)[number];

/**
 * What each role's digest holds. IT and admins get everything (exposure, overdue work, rogue
 * devices, the day's security events); biomedical engineers get what they act on: newly exposed
 * devices and overdue work orders, not the network's rogue sightings.
 */
export function digestFor(role: DigestRole, facts: DigestFacts): Record<string, unknown> {
  const exposure = { newlyExposedDevices: facts.newlyExposedDevices, newFindingsByDecision: facts.newFindingsByDecision };
  const overdue = { overdueWorkOrders: facts.overdueWorkOrders, oldestOverdue: facts.oldestOverdue };
  if (role === 'biomed') return { ...exposure, ...overdue };
  return {
    ...exposure,
    ...overdue,
    newRogueDevices: facts.newRogueDevices,
    rogueDevices: facts.rogueDevices,
    securityEventsByType: facts.securityEventsByType,
  };
}

/** The digest's date (UTC) once `hourUtc` has passed on it; null before that hour. */
export function digestDateDue(now: Date, hourUtc: number): string | null {
  return now.getUTCHours() >= hourUtc ? now.toISOString().slice(0, 10) : null;
}
