import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export const PGLITE_WORKER_SCRIPT = join(__dirname, 'pglite-server.worker.mjs');
const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;
const PGLITE_THREAD_YOUNG_GENERATION_MB = 8;

type WorkerMessage = { type: 'ready'; conn: string } | { type: 'stopped'; error?: string };

/**
 * PGlite and its socket server on a worker thread (pglite-server.worker.mjs). The service talks
 * to it over the loopback socket exactly as to a PostgreSQL server. A worker that dies while the
 * service runs is reported through `onCrash` once; after `stop()` its exit is expected.
 */
export class PgliteThread {
  private stopping = false;
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    /** `host:port` of the socket server. */
    readonly conn: string,
  ) {}

  static async start(
    location: string,
    startParams: string[],
    maxConnections: number,
    onCrash: (error: Error) => void,
    /** The thread's script; another one only in tests (one that dies on purpose). */
    script = PGLITE_WORKER_SCRIPT,
  ): Promise<PgliteThread> {
    const worker = new Worker(script, {
      workerData: { location, startParams, maxConnections },
      // Without a limit the thread inherits the main thread's young generation (the process's
      // --max-semi-space-size: scripts/start.sh). PGlite's JavaScript side keeps little alive;
      // this bounds it (boot RSS measured the same with 8 and 64 MB: 313-316 MB).
      resourceLimits: { maxYoungGenerationSizeMb: PGLITE_THREAD_YOUNG_GENERATION_MB },
    });
    const conn = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      const settle = (f: () => void): void => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        f();
      };
      const onMessage = (m: WorkerMessage): void => (m.type === 'ready' ? settle(() => resolve(m.conn)) : undefined);
      const onError = (e: Error): void => settle(() => reject(e));
      const onExit = (code: number): void => settle(() => reject(new Error(`embedded PostgreSQL exited with ${code} while starting`)));
      worker.on('message', onMessage).once('error', onError).once('exit', onExit);
    });
    const thread = new PgliteThread(worker, conn);
    let crashed = false;
    const crash = (error: Error): void => {
      if (thread.stopping || crashed) return;
      crashed = true;
      onCrash(error);
    };
    worker.on('error', crash);
    worker.on('exit', (code) => {
      thread.exited = true;
      crash(new Error(`embedded PostgreSQL's thread exited with ${code}`));
    });
    return thread;
  }

  /** Stops the socket server, closes PGlite (checkpoint) and ends the thread. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // A thread that died has nothing left to stop (its 'exit' will not come again).
    if (this.exited) return;
    const stopped = new Promise<string | undefined>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`embedded PostgreSQL did not stop within ${STOP_TIMEOUT_MS / 1000} s`)), STOP_TIMEOUT_MS);
      this.worker.on('message', (m: WorkerMessage) => {
        if (m.type !== 'stopped') return;
        clearTimeout(timer);
        resolve(m.error);
      });
      this.worker.once('exit', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    this.worker.postMessage({ type: 'stop' });
    try {
      const error = await stopped;
      if (error) throw new Error(`embedded PostgreSQL stopped with an error: ${error}`);
    } finally {
      await this.worker.terminate();
    }
  }
}
