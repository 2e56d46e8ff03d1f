import { ServiceProcess } from './service';
import { sleep } from './timing';
import { summarize, Summary } from './stats';

/** One thing the readers do: `pages` GETs, each after the first following the previous `nextCursor`. */
export interface ReaderTask {
  name: string;
  path: string;
  pages: number;
}

export interface ReaderFigures {
  name: string;
  ms: Summary;
  errors: number;
}

/**
 * `clients` readers, each doing every task in turn until stopped (so the endpoints share the
 * load as a console's users would), every request timed on its own under its task's name.
 */
export class ConcurrentReaders {
  private running = true;
  private readonly times = new Map<string, number[]>();
  private readonly errors = new Map<string, number>();
  private readonly loops: Promise<void>[];

  constructor(
    private readonly service: ServiceProcess,
    private readonly tasks: ReaderTask[],
    clients: number,
  ) {
    for (const t of tasks) {
      this.times.set(t.name, []);
      this.errors.set(t.name, 0);
    }
    // Staggered starts, so the clients do not all hit the same endpoint at the same moment.
    this.loops = Array.from({ length: clients }, async (_, k) => {
      await sleep(k * 25);
      for (let i = k; this.running; i++) await this.run(tasks[i % tasks.length]);
    });
  }

  private async run(task: ReaderTask): Promise<void> {
    let path = task.path;
    for (let page = 0; page < task.pages && this.running; page++) {
      const t0 = performance.now();
      let next: string | null = null;
      try {
        const res = await this.service.get(path);
        const body = await res.text();
        this.times.get(task.name)!.push(performance.now() - t0);
        if (!res.ok) throw new Error(String(res.status));
        next = (JSON.parse(body) as { nextCursor?: string | null }).nextCursor ?? null;
      } catch {
        this.errors.set(task.name, this.errors.get(task.name)! + 1);
      }
      if (!next) break;
      path = `${task.path}${task.path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(next)}`;
    }
  }

  async stop(): Promise<ReaderFigures[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.tasks.map((t) => ({ name: t.name, ms: summarize(this.times.get(t.name)!), errors: this.errors.get(t.name)! }));
  }
}

/**
 * `clients` readers GETting one path as fast as each gets its answer for `durationMs`, after
 * `warmups` requests: every request timed, failures counted.
 */
export async function underClients(
  get: (path: string) => Promise<Response>,
  path: string,
  o: { clients: number; durationMs: number; warmups: number },
): Promise<{ ms: Summary; errors: number }> {
  for (let i = 0; i < o.warmups; i++) await (await get(path)).arrayBuffer();
  const times: number[] = [];
  let errors = 0;
  const until = Date.now() + o.durationMs;
  await Promise.all(
    Array.from({ length: o.clients }, async () => {
      while (Date.now() < until) {
        const t0 = performance.now();
        const res = await get(path);
        await res.arrayBuffer();
        times.push(performance.now() - t0);
        if (!res.ok) errors++;
      }
    }),
  );
  return { ms: summarize(times), errors };
}
