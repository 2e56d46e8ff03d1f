import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * A clone with nothing beside it must pass its own tests: no file of the repository may reach
 * for a path outside it (the fixtures the tests use live under test/fixtures).
 */
const ROOT = resolve(__dirname, '..');
const SCANNED = ['src', 'test', 'scripts', 'bench', 'migrations', 'docs', 'docker', 'README.md', 'jest.config.js', 'package.json', 'tsconfig.json'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'data', 'fixtures', 'results', 'coverage']);
const TEXT = /\.(ts|mjs|js|json|md|ya?ml|sh|conf)$/;

function filesUnder(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isFile()) return TEXT.test(path) ? [path] : [];
  return readdirSync(path)
    .filter((name) => !SKIPPED_DIRS.has(name))
    .flatMap((name) => filesUnder(join(path, name)));
}

const files = SCANNED.flatMap((entry) => filesUnder(join(ROOT, entry)));

/** `resolve(__dirname, '../x', 'y')` and `join(__dirname, ...)` with literal segments only. */
const DIRNAME_PATH = /\b(?:resolve|join)\(\s*__dirname\s*((?:,\s*'[^']*'\s*)+)\)/g;

function pathsFromDirname(file: string, text: string): string[] {
  return [...text.matchAll(DIRNAME_PATH)].map((m) => {
    const segments = [...m[1].matchAll(/'([^']*)'/g)].map((s) => s[1]);
    return resolve(dirname(file), ...segments);
  });
}

describe('the repository is self-contained', () => {
  it('scans the source, tests, scripts and docs', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('names no shared fixtures folder beside the repository', () => {
    const offenders = files.filter((f) => f !== __filename && readFileSync(f, 'utf8').includes('shared/fixtures'));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('resolves no path from a source file to outside the repository', () => {
    const outside = files
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => pathsFromDirname(f, readFileSync(f, 'utf8')).map((p) => ({ file: relative(ROOT, f), path: p })))
      .filter(({ path }) => path !== ROOT && !path.startsWith(ROOT + sep));
    expect(outside).toEqual([]);
  });
});
