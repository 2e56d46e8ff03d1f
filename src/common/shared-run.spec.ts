import { SharedRun, SharedRuns } from './shared-run';

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

describe('SharedRuns', () => {
  it('shares runs per key, runs different keys apart, and forgets a key once nobody waits on it', async () => {
    const runs: string[] = [];
    const shared = new SharedRuns<string>();
    const work = (key: string) => async () => {
      runs.push(key);
      await new Promise((r) => setTimeout(r, 5));
      return `answer ${key}`;
    };
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => shared.run('a', work('a'))),
      ...Array.from({ length: 10 }, () => shared.run('b', work('b'))),
    ]);
    expect(answers.slice(0, 10).every((a) => a === 'answer a')).toBe(true);
    expect(answers.slice(10).every((a) => a === 'answer b')).toBe(true);
    expect(runs.filter((k) => k === 'a').length).toBeLessThanOrEqual(2);
    expect(runs.filter((k) => k === 'b').length).toBeLessThanOrEqual(2);
    expect(shared.size).toBe(0);
  });

  it('passes a failed run to its callers and runs again for the next caller', async () => {
    const shared = new SharedRuns<number>();
    await expect(shared.run('k', () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect(shared.size).toBe(0);
    expect(await shared.run('k', async () => 7)).toBe(7);
  });
});
