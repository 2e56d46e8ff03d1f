// Prints the console's initial JavaScript, gzipped (budget: 200 KB): what a first visit downloads
// before the first page renders, i.e. the scripts index.html loads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 200 * 1024;
const dir = join(import.meta.dirname, '..', 'dist', 'web');
const html = readFileSync(join(dir, 'index.html'), 'utf8');
const scripts = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\/([^"]+\.js)"/g)].map((m) => m[1]);
const gz = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
process.stdout.write(`console: initial JavaScript ${kb(gz)} gzipped in ${scripts.length} file(s) (budget ${kb(BUDGET_BYTES)})\n`);
if (gz > BUDGET_BYTES) {
  process.stderr.write('console: initial JavaScript over budget\n');
  process.exit(1);
}
