import type { Decision } from './ssvc-decision-points';

/** An ISO-8601 duration per decision; null: no due date. */
export type RemediationDue = Record<Decision, string | null>;

export const DEFAULT_DUE: RemediationDue = { immediate: 'P2D', out_of_cycle: 'P14D', scheduled: 'P90D', defer: null };

// Whole numbers only (PostgreSQL reads this form as an interval), at most five digits each, at least one part.
export const ISO_DURATION = /^P(?=\d|T\d)(?:\d{1,5}Y)?(?:\d{1,5}M)?(?:\d{1,5}W)?(?:\d{1,5}D)?(?:T(?=\d)(?:\d{1,5}H)?(?:\d{1,5}M)?(?:\d{1,5}S)?)?$/;

export function isIsoDuration(value: string): boolean {
  return ISO_DURATION.test(value);
}
