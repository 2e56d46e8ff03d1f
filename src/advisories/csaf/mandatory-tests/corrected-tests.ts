import type { CsafValidationError } from '../csaf-validation-error';
import { missingItemInRevisionHistory } from './missing-item-in-revision-history';
import { prohibitedDocumentCategoryName } from './prohibited-document-category-name';

/**
 * Mandatory tests of the reference validator (@secvisogram/csaf-validator-lib 2.0.10, the latest
 * release) that misjudge documents of the CSAF TC's own test set, each with this module's
 * implementation. The worker still runs the library's version; its verdict is replaced by ours.
 * test/fixtures/csaf-tests holds the TC's documents and csaf-tc-conformance.spec.ts runs them all,
 * so a library release that fixes a test can be checked by removing its entry here.
 */
const CORRECTED_TESTS: ReadonlyMap<string, (doc: unknown) => CsafValidationError[]> = new Map([
  ['mandatoryTest_6_1_21', missingItemInRevisionHistory],
  ['mandatoryTest_6_1_26', prohibitedDocumentCategoryName],
]);

/** The reference validator's errors with those of the corrected tests replaced by our verdict on the document. */
export function withCorrectedTests(doc: unknown, libraryErrors: readonly CsafValidationError[]): CsafValidationError[] {
  const kept = libraryErrors.filter((e) => e.test === undefined || !CORRECTED_TESTS.has(e.test));
  const ours = [...CORRECTED_TESTS].flatMap(([name, test]) => safely(name, test, doc));
  return [...kept, ...ours];
}

/** As the worker does for the library's tests: a test that throws on odd input fails the document instead of the request. */
function safely(name: string, test: (doc: unknown) => CsafValidationError[], doc: unknown): CsafValidationError[] {
  try {
    return test(doc);
  } catch (err) {
    return [{ path: '', message: `test crashed: ${err instanceof Error ? err.message : String(err)}`, test: name }];
  }
}
