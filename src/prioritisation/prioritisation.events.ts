/**
 * Emitted after the commit of a change to an input of the SSVC decisions: the KEV catalog, EPSS
 * scores, an analyst's assessment, a device's or model's impact or exposure, an advisory's
 * exploitation, the remediation policy. The prioritisation module listens and recomputes the
 * decisions the change touches, set-based; whoever changed the input knows nothing of decisions.
 */
export const PRIORITY_INPUTS_CHANGED = 'prioritisation.inputs-changed';

export type PriorityInputsChangedEvent =
  | { scope: 'all' }
  | { scope: 'cves'; cves: string[] }
  | { scope: 'devices'; deviceIds: string[] }
  | { scope: 'models'; modelIds: string[] }
  | { scope: 'advisories'; advisoryIds: string[] };

/**
 * Emitted after the commit of a recompute that changed findings' decisions or due dates without
 * opening or resolving findings (those announce FINDINGS_CHANGED). Work orders listen.
 */
export const FINDING_DECISIONS_CHANGED = 'prioritisation.decisions-changed';

export interface FindingDecisionsChangedEvent {
  deviceIds: string[];
}
