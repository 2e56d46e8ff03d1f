import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * Everything the bench starts registers how to undo it here (LIFO). It runs once: at the end,
 * on an error, on SIGINT/SIGTERM, or when the global time limit fires.
 */
export class Cleanup {
  private readonly actions: Array<{ what: string; run: () => Promise<void> }> = [];
  private done = false;

  add(what: string, run: () => Promise<void>): () => void {
    const entry = { what, run };
    this.actions.push(entry);
    // Returned function: undo now and forget (a phase that finishes cleans up after itself).
    return () => {
      const i = this.actions.indexOf(entry);
      if (i >= 0) this.actions.splice(i, 1);
    };
  }

  async run(): Promise<void> {
    if (this.done) return;
    this.done = true;
    while (this.actions.length) {
      const { what, run } = this.actions.pop()!;
      try {
        await run();
      } catch (e) {
        console.error(`cleanup: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Spawns a process with its stdout and stderr written to `logFile`; `stop` (once) ends it and closes the log. */
export function spawnLogged(
  command: string,
  args: string[],
  options: SpawnOptions,
  logFile: string,
  graceMs: number,
): { child: ChildProcess; stop: () => Promise<void> } {
  const log = createWriteStream(logFile);
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopChild(child, graceMs);
    log.end();
  };
  return { child, stop };
}
