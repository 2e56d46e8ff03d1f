import type { Comparator, Operator } from './comparator-types';
import { parseVersion } from './version';

// Fixed leading numbers, then one or more wildcard parts: 5.x.x, 12.2.x.x, 9.*, v6.x.
const WILDCARD = /^[vV]?(\d+(?:\.\d+)*)((?:\.[xX*])+)$/;

/**
 * A wildcard version as the interval it names, null when `text` is no wildcard.
 * `5.x.x` is [5.0.0, 6.0.0). With an operator the wildcard is the whole interval, as in
 * node-semver: `<=12.2.x.x` is `<12.3.0.0` (up to the end of 12.2.*), `>5.x` is `>=6.0`,
 * `<5.x` is `<5.0`, `>=5.x` is `>=5.0`. Pre-releases of the next version (12.3.0-rc.1) fall
 * below the upper bound and count as inside: for advisories that errs toward flagging.
 */
export function expandWildcard(op: Operator, text: string): Comparator[] | { error: string } | null {
  const m = WILDCARD.exec(text.trim());
  if (!m) return null;
  const fixed = m[1].split('.');
  const zeros = '.0'.repeat(m[2].length / 2);
  const next = [...fixed.slice(0, -1), String(BigInt(fixed[fixed.length - 1]) + 1n)];
  const lower = parseVersion(fixed.join('.') + zeros);
  const upper = parseVersion(next.join('.') + zeros);
  if (!lower || !upper) return { error: `${JSON.stringify(text.trim())} is too long to be a version` };
  switch (op) {
    case '=':
      return [
        { op: '>=', version: lower },
        { op: '<', version: upper },
      ];
    case '<':
      return [{ op: '<', version: lower }];
    case '<=':
      return [{ op: '<', version: upper }];
    case '>':
      return [{ op: '>=', version: upper }];
    case '>=':
      return [{ op: '>=', version: lower }];
    case '!=':
      return { error: `${JSON.stringify(text.trim())}: a wildcard cannot be excluded with !=` };
  }
}
