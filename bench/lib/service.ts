import { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Cleanup, spawnLogged } from './cleanup';
import { ROOT } from './paths';
import { summarize, Summary } from './stats';
import { freePort, GiveUp, sleep, waitFor } from './timing';

export interface ServiceOptions {
  name: string;
  /** Empty: the embedded PGlite (DATA_DIR in `env`). */
  databaseUrl: string;
  /** Empty: the embedded Aedes broker (MQTT_PORT in `env`). */
  mqttUrl: string;
  adminKey: string;
  clientId: string;
  sharedGroup?: string;
  offlineAfterS?: number;
  /** Writes a minute from one address (the service's default is 1,000). */
  writesPerMin?: number;
  /** More environment for this service only (DATA_DIR, MQTT_PORT, IOMT_DATA_KEY where people sign in, ...). */
  env?: NodeJS.ProcessEnv;
  /** Checkout whose dist/src/main.js runs (default: this one); to compare with another build. */
  root?: string;
  /** How long /health may take to answer (default 90 s; an empty embedded DATA_DIR runs initdb first). */
  bootTimeoutMs?: number;
}

export type Metrics = Map<string, number>;

/**
 * The V8 flags `npm start` (scripts/start.sh) and the image run the service with: a 32 MB
 * semi-space with a real PostgreSQL; for the embedded default (no DATABASE_URL) 8 MB and
 * PGlite's WebAssembly left to the baseline compiler (no tier-up).
 * BENCH_SERVICE_NODE_FLAGS adds flags for a look inside, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 * (Node refuses --cpu-prof in NODE_OPTIONS, and NODE_OPTIONS would reach the publishers too).
 */
export function serviceNodeFlags(databaseUrl: string): string[] {
  return [
    ...(databaseUrl ? ['--max-semi-space-size=32'] : ['--max-semi-space-size=8']),
    '--heap-growing-percent=50',
    ...(databaseUrl ? [] : ['--no-wasm-tier-up', '--no-wasm-dynamic-tiering']),
    ...(process.env.BENCH_SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  ];
}

/** One built service process (`node dist/src/main.js`) run as production runs it. */
export class ServiceProcess {
  private constructor(
    readonly name: string,
    readonly base: string,
    private readonly child: ChildProcess,
    private readonly adminKey: string,
    readonly logFile: string,
    private readonly forget: () => void,
    private readonly stopFn: () => Promise<void>,
  ) {}

  static async start(cleanup: Cleanup, o: ServiceOptions): Promise<ServiceProcess> {
    const port = await freePort();
    // Kept after the run (bench/results/logs/) so a failure can be read afterwards.
    const dir = join(ROOT, 'bench', 'results', 'logs');
    mkdirSync(dir, { recursive: true });
    const logFile = join(dir, `service-${o.name}.log`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: o.databaseUrl,
      MQTT_URL: o.mqttUrl,
      MQTT_CLIENT_ID: o.clientId,
      MQTT_SHARED_GROUP: o.sharedGroup ?? '',
      MQTT_USERNAME: '',
      MQTT_PASSWORD: '',
      IOMT_BOOTSTRAP_ADMIN_KEY: o.adminKey,
      LOG_LEVEL: 'warn',
      HEARTBEAT_OFFLINE_AFTER_S: String(o.offlineAfterS ?? 300),
      ...(o.writesPerMin ? { RATE_LIMIT_WRITES_PER_MIN: String(o.writesPerMin) } : {}),
      ...o.env,
    };
    const root = o.root ?? ROOT;
    const { child, stop } = spawnLogged(
      process.execPath,
      [...serviceNodeFlags(o.databaseUrl), join(root, 'dist', 'src', 'main.js')],
      { cwd: root, env },
      logFile,
      15_000,
    );
    const forget = cleanup.add(`service ${o.name}`, stop);
    const service = new ServiceProcess(o.name, `http://127.0.0.1:${port}`, child, o.adminKey, logFile, forget, stop);
    try {
      await waitFor(
        `service ${o.name} /health`,
        async () => {
          if (child.exitCode !== null) throw new GiveUp(`service ${o.name} exited with ${child.exitCode}:\n${service.logTail()}`);
          const res = await fetch(`${service.base}/health`);
          return res.ok ? true : undefined;
        },
        o.bootTimeoutMs ?? 90_000,
        100,
      );
    } catch (e) {
      await stop();
      throw e;
    }
    return service;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  logTail(chars = 3000): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-chars);
    } catch {
      return '';
    }
  }

  get(path: string): Promise<Response> {
    return fetch(this.base + path, { headers: { Authorization: `Bearer ${this.adminKey}` } });
  }

  getJson<T>(path: string): Promise<T> {
    return ServiceProcess.json<T>(`GET ${path}`, this.get(path));
  }

  postJson<T>(path: string, body: unknown): Promise<T> {
    const headers = { Authorization: `Bearer ${this.adminKey}`, 'Content-Type': 'application/json' };
    return ServiceProcess.json<T>(`POST ${path}`, fetch(this.base + path, { method: 'POST', headers, body: JSON.stringify(body) }));
  }

  putJson<T>(path: string, body: unknown): Promise<T> {
    const headers = { Authorization: `Bearer ${this.adminKey}`, 'Content-Type': 'application/json' };
    return ServiceProcess.json<T>(`PUT ${path}`, fetch(this.base + path, { method: 'PUT', headers, body: JSON.stringify(body) }));
  }

  private static async json<T>(request: string, response: Promise<Response>): Promise<T> {
    const res = await response;
    const body = await res.text();
    if (!res.ok) throw new Error(`${request} -> ${res.status} ${body.slice(0, 300)}`);
    return JSON.parse(body) as T;
  }

  /**
   * Times sequential GETs of `path` after `warmups` unmeasured ones (cut short after
   * `warmupBudgetMs`): `requests` at most, and past `minSamples` only while within `budgetMs`,
   * so that a listing taking a second cannot hold the run for minutes. `items` is the length of
   * the last answer's list.
   */
  async timeGet(
    path: string,
    o: { warmups: number; warmupBudgetMs?: number; requests: number; minSamples: number; budgetMs: number },
  ): Promise<{ ms: Summary; items: number }> {
    const warmupUntil = Date.now() + (o.warmupBudgetMs ?? Infinity);
    for (let i = 0; i < o.warmups && Date.now() < warmupUntil; i++) await this.get(path).then((r) => r.text());
    const samples: number[] = [];
    let body = '';
    const until = Date.now() + o.budgetMs;
    while (samples.length < o.requests && (samples.length < o.minSamples || Date.now() < until)) {
      const t = performance.now();
      const res = await this.get(path);
      body = await res.text();
      samples.push(performance.now() - t);
      if (!res.ok) throw new Error(`GET ${path} -> ${res.status} ${body.slice(0, 300)}`);
    }
    // Parsed once, after the samples: parsing every answer (a report page is 675 KB) between
    // requests left this process's garbage to be collected inside the next timed request.
    const parsed = JSON.parse(body) as { items?: unknown[] } | unknown[];
    const items = Array.isArray(parsed) ? parsed.length : (parsed.items?.length ?? 0);
    return { ms: summarize(samples), items };
  }

  /** Every sample of /metrics as `name{labels}` -> value. */
  async metrics(): Promise<Metrics> {
    const res = await this.get('/metrics');
    if (!res.ok) throw new Error(`GET /metrics -> ${res.status}`);
    const out: Metrics = new Map();
    for (const line of (await res.text()).split('\n')) {
      if (!line || line.startsWith('#')) continue;
      const space = line.lastIndexOf(' ');
      out.set(line.slice(0, space), Number(line.slice(space + 1)));
    }
    return out;
  }

  /** Peak resident set size of the process so far (VmHWM), in MB. */
  peakRssMb(): number {
    return procStatusKb(this.pid, 'VmHWM') / 1024;
  }

  /** Stops the process now rather than at the end of the run. */
  async dispose(): Promise<void> {
    await this.stopFn();
    this.forget();
  }
}

export function procStatusKb(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`${field} not in /proc/${pid}/status`);
  return Number(match[1]);
}

/** CPU time (user + system) a process has used so far, in seconds (Linux /proc). */
export function procCpuSeconds(pid: number): number {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** User + system seconds from the text of a /proc/<pid>/stat file. */
export function statCpuSeconds(stat: string): number {
  const fields = stat.split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export const metric = (m: Metrics, name: string): number => m.get(name) ?? NaN;

/** Scrapes /metrics every `everyMs` until stopped (a failed scrape is skipped). */
export class MetricsSampler {
  private readonly samples: Array<{ atMs: number; metrics: Metrics }> = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(service: ServiceProcess, everyMs: number) {
    this.loop = (async () => {
      while (this.running) {
        try {
          this.samples.push({ atMs: Date.now(), metrics: await service.metrics() });
        } catch {
          // The next scrape will do.
        }
        await sleep(everyMs);
      }
    })();
  }

  async stop(): Promise<Array<{ atMs: number; metrics: Metrics }>> {
    this.running = false;
    await this.loop;
    return this.samples;
  }
}
