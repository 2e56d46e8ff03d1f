import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), s.mtimeMs);
}

/**
 * Jest global setup of the browser tests: they drive the built console (dist/web), so build it
 * when it is missing or older than its sources or the OpenAPI document it is typed against.
 * After `npm run build` (as CI does) this is a no-op.
 */
export default function buildConsole(): void {
  const index = join(ROOT, 'dist/web/index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'web')), newestMtime(join(ROOT, 'docs/openapi.json')), newestMtime(join(ROOT, 'src/inventory/udi')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  process.stdout.write('\nbrowser tests: building the console (npm run build:web)\n');
  // Jest sets NODE_ENV=test, which makes Vite build a development bundle (38.9 KB gzipped
  // instead of 34.6 KB): test what ships.
  execFileSync('npm', ['run', 'build:web', '--silent'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
