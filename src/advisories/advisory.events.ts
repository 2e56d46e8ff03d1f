/**
 * Emitted (and awaited, with emitAsync) after the commit that creates, revises, remaps or
 * withdraws an advisory. The findings module listens and drains the recompute the change
 * queued (the database trigger queued it in the change's own transaction), so the response
 * already shows the new findings; advisories know nothing of findings.
 */
export const ADVISORY_CHANGED = 'advisories.advisory-changed';

export interface AdvisoryChangedEvent {
  advisoryId: string;
  /** How findings this change closes are resolved. */
  reason: 'advisory_revised' | 'advisory_withdrawn';
}

/** What a listener reports back: findings opened and resolved, devices whose exposure is unknown. */
export interface ExposureChange {
  opened: number;
  resolved: number;
  unknown: number;
}
