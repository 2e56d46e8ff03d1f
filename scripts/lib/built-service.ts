import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort, waitFor } from '../../bench/lib/timing';

export interface BuiltService {
  base: string;
  startedMs: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checks read loosely typed JSON
  api: (method: string, path: string, body?: unknown) => Promise<any>;
  stop: () => Promise<void>;
}

/**
 * The built service as `npm start` runs it (scripts/start.sh: `exec node <the mode's V8 flags>
 * dist/src/main.js`, so the child is Node itself), with an admin key of its own; waits for /health.
 */
export async function startBuiltService(env: Record<string, string>): Promise<BuiltService> {
  const port = await freePort();
  const adminKey = `iomt_check_${randomBytes(16).toString('hex')}`;
  const started = Date.now();
  const child: ChildProcess = spawn('sh', ['scripts/start.sh'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', IOMT_BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  const api: BuiltService['api'] = async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    await waitFor(
      'service healthy',
      () =>
        fetch(`${base}/health`).then(
          (r) => (r.ok ? true : undefined),
          () => undefined,
        ),
      60_000,
      250,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { base, startedMs: Date.now() - started, api, stop };
}
