import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Cleanup, stopChild } from './cleanup';
import { withTimeout } from './publish';

export interface RawResult {
  received: number;
  firstMs: number;
  lastMs: number;
  /** CPU time of the subscriber process over its life. */
  cpuSeconds: number;
}

/** Forks the bare subscriber; `ready` resolves once it is subscribed, `done` with its count. */
export async function startRawSubscriber(
  cleanup: Cleanup,
  url: string,
  topic: string,
  expected: number,
  timeoutMs: number,
): Promise<{ pid: number; done: Promise<RawResult> }> {
  const child = fork(join(__dirname, 'raw-subscriber.js'), [JSON.stringify({ url, topic, expected, timeoutMs })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const forget = cleanup.add('raw subscriber', () => stopChild(child, 2_000));
  const messages: Array<{ type: string; message?: string } & Partial<RawResult>> = [];
  let notify: () => void = () => undefined;
  child.on('message', (m: (typeof messages)[number]) => {
    messages.push(m);
    notify();
  });
  const next = (type: string): Promise<RawResult> =>
    new Promise<RawResult>((resolve, reject) => {
      const check = (): void => {
        const m = messages.find((x) => x.type === type || x.type === 'error');
        if (!m) return;
        if (m.type === 'error') reject(new Error(`raw subscriber: ${m.message}`));
        else resolve({ received: m.received ?? 0, firstMs: m.firstMs ?? 0, lastMs: m.lastMs ?? 0, cpuSeconds: m.cpuSeconds ?? NaN });
      };
      notify = check;
      child.once('exit', (code) => (messages.some((x) => x.type === type) ? undefined : reject(new Error(`raw subscriber exited with ${code}`))));
      check();
    });
  await withTimeout(next('ready'), 15_000, 'the raw subscriber to subscribe');
  const done = withTimeout(next('done'), timeoutMs + 15_000, 'the raw subscriber').finally(async () => {
    await stopChild(child, 2_000);
    forget();
  });
  done.catch(() => undefined); // the caller awaits it later; an early failure is not 'unhandled'
  return { pid: child.pid ?? -1, done };
}
