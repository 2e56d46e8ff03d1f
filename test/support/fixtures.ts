import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Real third-party data the tests use, carried in the repository with its sources and terms (test/fixtures/README.md); never edited: tests copy what they change. */
export const FIXTURES_DIR = resolve(__dirname, '../fixtures');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- CSAF documents are read loosely
export function csafFixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(resolve(FIXTURES_DIR, 'csaf', `${name}.json`), 'utf8'));
}
