import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The shared third-party fixtures beside the repository (never edited; tests copy what they change). */
export const FIXTURES_DIR = resolve(__dirname, '../../../shared/fixtures');

export function csafFixture(name: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(readFileSync(resolve(FIXTURES_DIR, 'csaf', `${name}.json`), 'utf8'));
}
