import type { Decision } from './ssvc-decision-points';

/** An ISO-8601 duration per decision; null: no due date. */
export type RemediationDue = Record<Decision, string | null>;

export const DEFAULT_DUE: RemediationDue = { immediate: 'P2D', out_of_cycle: 'P14D', scheduled: 'P90D', defer: null };

// One grammar for every duration of the service (PostgreSQL reads these as intervals): src/common/iso-duration.ts.
export { ISO_DURATION, isIsoDuration } from '../common/iso-duration';
