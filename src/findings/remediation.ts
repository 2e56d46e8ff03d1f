import { maxVersion, parseRange } from '../firmware';

export interface OpenFindingFix {
  fixedVersion: string | null;
  affectedVersions: string;
}

export type RemediationAction = 'update' | 'no_fix' | 'fix_unknown';

export interface Remediation {
  /**
   * The version that closes every open finding: the highest fix among them. Null as soon as one
   * open advisory names no fix, since then no version is known to be safe.
   */
  minimumSafeVersion: string | null;
  action: RemediationAction;
  actionText: string;
}

/**
 * What IT should do for one device. An advisory that affects all versions and names no fix
 * means there is no firmware to go to: mitigate or replace. A fix nobody could read from the
 * advisory is "unknown", for a person to look up, never a guessed version. The fixes the other
 * advisories name are still said in the text, never as a safe version.
 */
export function remediationFor(findings: OpenFindingFix[]): Remediation {
  const highestFix = maxVersion(findings.map((f) => f.fixedVersion).filter((v): v is string => !!v));
  const unfixed = findings.filter((f) => !f.fixedVersion);
  const othersText = highestFix ? `; ${highestFix} or later fixes the other advisories` : '';
  if (unfixed.some((f) => isAllVersions(f.affectedVersions))) {
    return { minimumSafeVersion: null, action: 'no_fix', actionText: `no fix: mitigate or replace${othersText}` };
  }
  if (unfixed.length || !highestFix) {
    return { minimumSafeVersion: null, action: 'fix_unknown', actionText: `fix version unknown: check the advisory${othersText}` };
  }
  return { minimumSafeVersion: highestFix, action: 'update', actionText: `update to ${highestFix} or later` };
}

function isAllVersions(expression: string): boolean {
  const parsed = parseRange(expression);
  return parsed.ok && parsed.range.all;
}
