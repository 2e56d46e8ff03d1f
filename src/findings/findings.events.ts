/**
 * Emitted after the commit of a findings recompute that opened or resolved findings (or changed
 * which devices' exposure is unknown). Work orders and security events listen; the findings
 * module knows nothing of them. Decisions of the findings it opened are already computed. Also
 * emitted (opened and resolved 0) after a risk acceptance is created, revoked or swept as
 * expired: it hides a finding from the report and its device's priority, or shows it again.
 */
export const FINDINGS_CHANGED = 'findings.findings-changed';

export interface FindingsChangedEvent {
  /** Devices whose open findings changed. */
  deviceIds: string[];
  opened: number;
  resolved: number;
}
