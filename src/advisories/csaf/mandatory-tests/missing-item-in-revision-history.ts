import type { CsafValidationError } from '../csaf-validation-error';
import { inRevisionOrder, majorOf, revisionHistoryOf } from './revision-order';

const PATH = '/document/tracking/revision_history';

/**
 * CSAF 2.0 mandatory test 6.1.21 (Missing Item in Revision History): with the items in revision
 * order (by date, then number), the first has version 0 or 1 (the major version, for semantic
 * versioning) and no version in between is left out.
 *
 * Replaces the reference validator's test, which orders by date alone and so keeps equal-dated
 * items in the order they are listed: a history listing "2" before "1" on the same day "started
 * with 2" there, and the TC's valid documents 6-1-14-12, 6-1-16-16 and 6-1-16-17 were refused.
 */
export function missingItemInRevisionHistory(doc: unknown): CsafValidationError[] {
  const history = revisionHistoryOf(doc);
  if (!history || history.length === 0) return [];
  const majors: bigint[] = [];
  for (const item of inRevisionOrder(history)) {
    const major = majorOf(item.number);
    if (major === null) return []; // not a CSAF version number: the schema test reports it
    if (majors[majors.length - 1] !== major) majors.push(major);
  }

  const errors: CsafValidationError[] = [];
  const error = (message: string): void => {
    errors.push({ path: PATH, message, test: 'mandatoryTest_6_1_21' });
  };
  if (majors[0] !== 0n && majors[0] !== 1n) error(`the revision history starts with version ${majors[0]}, not 0 or 1, when sorted by date and number`);
  let highest = majors[0];
  for (const major of majors.slice(1)) {
    if (major > highest + 1n) {
      const missing = major === highest + 2n ? `${highest + 1n}` : `${highest + 1n} to ${major - 1n}`;
      error(`the revision history omits version ${missing} (between ${highest} and ${major}, sorted by date and number)`);
    }
    if (major > highest) highest = major;
  }
  return errors;
}
