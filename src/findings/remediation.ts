import { maxVersion, parseRange } from '../firmware';

export interface OpenFindingFix {
  fixedVersion: string | null;
  affectedVersions: string;
}

export type RemediationAction = 'update' | 'no_fix' | 'fix_unknown';

export interface Remediation {
  /** The highest fixed version among the device's open findings: the one to go to. */
  minimumSafeVersion: string | null;
  action: RemediationAction;
  actionText: string;
}

/**
 * What IT should do for one device. An advisory that affects all versions and names no fix
 * means there is no firmware to go to: mitigate or replace. A fix nobody could read from the
 * advisory is "unknown", for a person to look up, never a guessed version.
 */
export function remediationFor(findings: OpenFindingFix[]): Remediation {
  const fixes = findings.map((f) => f.fixedVersion).filter((v): v is string => !!v);
  const minimumSafeVersion = maxVersion(fixes);
  const unfixed = findings.filter((f) => !f.fixedVersion);
  if (unfixed.some((f) => isAllVersions(f.affectedVersions))) {
    return { minimumSafeVersion, action: 'no_fix', actionText: 'no fix: mitigate or replace' };
  }
  if (unfixed.length || !minimumSafeVersion) {
    return {
      minimumSafeVersion,
      action: 'fix_unknown',
      actionText: minimumSafeVersion ? `update to ${minimumSafeVersion} or later, and check the advisory without a known fix` : 'fix version unknown: check the advisory',
    };
  }
  return { minimumSafeVersion, action: 'update', actionText: `update to ${minimumSafeVersion} or later` };
}

function isAllVersions(expression: string): boolean {
  const parsed = parseRange(expression);
  return parsed.ok && parsed.range.all;
}
