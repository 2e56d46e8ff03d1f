import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import request from 'supertest';
import { AuthedAgent } from './test-app';

const ROOT = resolve(__dirname, '../..');
const ENTRY = resolve(ROOT, 'dist/src/main.js');
const KEEP_OUTPUT_CHARS = 20_000;

/** Children still running if Jest exits abruptly: never leave a service holding a port or a session. */
const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((c) => c.kill('SIGKILL')));

/** A test that kills the service needs it in its own process, so the JavaScript build `npm start` runs. */
export async function buildService(): Promise<void> {
  await new Promise<void>((ok, fail) =>
    execFile('npm', ['run', 'build', '--silent'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? fail(new Error(`npm run build failed:\n${stdout}${stderr}`)) : ok(),
    ),
  );
}

/** A port free right now; the child binds it moments later (PORT=0 would hide the port from us). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  await new Promise((ok) => server.close(ok));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The service as `npm start` runs it, in a child process a test can SIGKILL. */
/** Where a service process of a kill or restart test keeps what must outlive it. */
export interface RestartableService {
  /** Without a database URL, PGlite on disk here; with one, only the data key file lands here. */
  dataDir: string;
  databaseUrl: string | null;
  brokerUrl: string;
  /** Its persistent MQTT session, which holds what it had not acknowledged across the kill. */
  clientId: string;
  adminKey: string;
}

/** The environment of a service process that is killed and started again on the same data. */
export async function restartableServiceEnv(s: RestartableService): Promise<Record<string, string>> {
  return {
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATA_DIR: s.dataDir,
    ...(s.databaseUrl ? { DATABASE_URL: s.databaseUrl } : {}),
    MQTT_URL: s.brokerUrl,
    MQTT_CLIENT_ID: s.clientId,
    MQTT_ALLOW_ANONYMOUS: 'true',
    IOMT_BOOTSTRAP_ADMIN_KEY: s.adminKey,
    LOG_LEVEL: 'warn',
  };
}

export class ServiceProcess {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-KEEP_OUTPUT_CHARS);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', () => live.delete(child));
  }

  /** Starts it and waits for "service ready", which main.ts prints once HTTP listens and MQTT is subscribed. */
  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<ServiceProcess> {
    // Only what the service needs: an inherited DATABASE_URL or MQTT_URL would point it elsewhere.
    const child = spawn(process.execPath, [ENTRY], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    const service = new ServiceProcess(child, `http://127.0.0.1:${env.PORT}`);
    try {
      await service.ready(timeoutMs);
    } catch (e) {
      await service.kill();
      throw new Error(`${(e as Error).message}\n--- service output ---\n${service.output}`);
    }
    return service;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.output;
  }

  api(key: string): AuthedAgent {
    const authed = (method: keyof AuthedAgent) => (path: string) => request(this.baseUrl)[method](path).set('Authorization', `Bearer ${key}`);
    return { get: authed('get'), post: authed('post'), patch: authed('patch'), put: authed('put'), delete: authed('delete') };
  }

  /** A crash: no shutdown hook runs, no batch drains, no PUBACK is flushed. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** A clean stop (SIGTERM runs Nest's shutdown hooks); a crash if it hangs. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private ready(timeoutMs: number): Promise<void> {
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => done(new Error(`service not ready within ${timeoutMs} ms`)), timeoutMs);
      const onData = () => {
        if (this.output.includes('"msg":"service ready"')) done();
      };
      const onExit = (code: number | null, signal: string | null) => done(new Error(`service exited before ready (code ${code}, signal ${signal})`));
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.child.stdout!.off('data', onData);
        this.child.off('exit', onExit);
        if (err) fail(err);
        else ok();
      };
      this.child.stdout!.on('data', onData);
      this.child.once('exit', onExit);
    });
  }
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built entry point (the service or a script under dist/) to its end, with only the given environment. */
export async function runBuilt(entry: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Finished> {
  const child = spawn(process.execPath, [resolve(ROOT, entry), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  // 'close', not 'exit': the output streams may still hold the last line when the process ends.
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  live.delete(child);
  return { code, stdout, stderr };
}
