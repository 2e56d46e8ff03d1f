import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PGLITE_INITDB_SCRIPT = join(__dirname, 'pglite-initdb.child.mjs');
const INITDB_TIMEOUT_MS = 180_000;

/**
 * Runs initdb for a data folder that has none yet, in a child process (pglite-initdb.child.mjs says
 * why), so that the service's own resident memory never holds initdb's peak. Returns false when
 * the folder already held a database. A folder left half-made by a failed run is not a
 * database: PGlite itself runs initdb over it again on the next start.
 */
export async function initDataDirInChildProcess(pgdata: string): Promise<boolean> {
  if (existsSync(join(pgdata, 'PG_VERSION'))) return false;
  // No inherited flags: the parent may be jest (--experimental-vm-modules) or carry heap sizes.
  const child = spawn(process.execPath, [PGLITE_INITDB_SCRIPT, pgdata], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`initdb of ${pgdata} took more than ${INITDB_TIMEOUT_MS / 1000} s`));
    }, INITDB_TIMEOUT_MS);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`initdb of ${pgdata} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(-1000)}`));
    });
  });
  return true;
}
