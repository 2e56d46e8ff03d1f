import { SharedRun } from './shared-run';

/** A run the test finishes by hand. */
function gate<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('SharedRun', () => {
  it('runs once for a lone caller and again for the next one', async () => {
    let runs = 0;
    const shared = new SharedRun(async () => ++runs);
    expect(await shared.run()).toBe(1);
    expect(await shared.run()).toBe(2);
  });

  it('answers callers that arrive during a run with ONE later run, started after that run ended', async () => {
    const gates = [gate<string>(), gate<string>()];
    const started: number[] = [];
    let active = 0;
    let maxActive = 0;
    const shared = new SharedRun(() => {
      const i = started.length;
      started.push(i);
      active++;
      maxActive = Math.max(maxActive, active);
      return gates[i].promise.finally(() => active--);
    });
    const first = shared.run();
    const during = [shared.run(), shared.run(), shared.run()];
    await Promise.resolve();
    expect(started).toEqual([0]);
    gates[0].resolve('run 0');
    expect(await first).toBe('run 0');
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    gates[1].resolve('run 1');
    expect(await Promise.all(during)).toEqual(['run 1', 'run 1', 'run 1']);
    expect(maxActive).toBe(1);
  });

  it('gives a failed run its error to its own callers only; the next callers get a fresh run', async () => {
    const gates = [gate<string>(), gate<string>()];
    let i = 0;
    const shared = new SharedRun(() => gates[i++].promise);
    const failing = shared.run();
    const after = shared.run();
    gates[0].reject(new Error('connection lost'));
    await expect(failing).rejects.toThrow('connection lost');
    await new Promise((r) => setImmediate(r));
    gates[1].resolve('fresh');
    expect(await after).toBe('fresh');
  });
});
