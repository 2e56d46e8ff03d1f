import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FIXTURES_DIR } from './fixtures';

/**
 * The CSAF TC's test documents for the CSAF 2.0 mandatory tests, as its testcases.json lists them
 * (test/fixtures/csaf-tests, carried unchanged with the TC's terms: see test/fixtures/README.md).
 * testcases.json also lists optional and informative tests, whose documents are not carried.
 */
export const CSAF_TC_DIR = resolve(FIXTURES_DIR, 'csaf-tests');

export interface TcCase {
  /** Path below CSAF_TC_DIR, as testcases.json names it: `mandatory/oasis_csaf_tc-csaf_2_0-2021-6-1-26-04.json`. */
  file: string;
  /** The spec's test, e.g. "6.1.26". */
  testId: string;
  /** The name the reference validator gives that test (6.1.8 is part of its schema test). */
  libraryTest: string;
}

interface TestcasesJson {
  tests: { id: string; group: string; failures?: { name: string }[]; valid?: { name: string }[] }[];
}

export function mandatoryTestDocuments(): { failing: TcCase[]; valid: TcCase[] } {
  const testcases = JSON.parse(readFileSync(resolve(CSAF_TC_DIR, 'testcases.json'), 'utf8')) as TestcasesJson;
  const mandatory = testcases.tests.filter((t) => t.group === 'mandatory');
  const cases = (pick: (t: TestcasesJson['tests'][number]) => { name: string }[] | undefined): TcCase[] =>
    mandatory.flatMap((t) => (pick(t) ?? []).map((d) => ({ file: d.name, testId: t.id, libraryTest: libraryTestName(t.id) })));
  return { failing: cases((t) => t.failures), valid: cases((t) => t.valid) };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function tcDocument(file: string): Record<string, any> {
  return JSON.parse(readFileSync(resolve(CSAF_TC_DIR, file), 'utf8'));
}

function libraryTestName(testId: string): string {
  return testId === '6.1.8' ? 'csaf_2_0_strict' : `mandatoryTest_${testId.replace(/\./g, '_')}`;
}
