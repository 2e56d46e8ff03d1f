import { BatcherOptions, BatchItem, HeartbeatBatcher } from './heartbeat-batcher';
import { Heartbeat } from './heartbeat-message';
import { HeartbeatPlan } from './heartbeat-plan';

const plan = (): HeartbeatPlan => ({ updates: [], routine: 0, firmwareChanges: [], sightings: [], cameOnline: 0 });
const item = (n: number): BatchItem => ({ heartbeat: { deviceId: `d${n}` } as Heartbeat });

/** A commit that stays open until the test settles it, recording what ran at once. */
function controlledCommits() {
  const open: Array<{ size: number; settle: (error?: Error) => void }> = [];
  let maxOpen = 0;
  const commit: BatcherOptions['commit'] = (heartbeats) =>
    new Promise<HeartbeatPlan>((resolve, reject) => {
      open.push({ size: heartbeats.length, settle: (error) => (error ? reject(error) : resolve(plan())) });
      maxOpen = Math.max(maxOpen, open.length);
    });
  const settleNext = async (error?: Error): Promise<number> => {
    const c = open.shift()!;
    c.settle(error);
    await new Promise((r) => setTimeout(r, 5));
    return c.size;
  };
  return { open, commit, settleNext, maxOpen: () => maxOpen };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** Timers fire late on a loaded machine (tests run in parallel): poll instead of guessing a delay. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await tick(2);
  }
}

describe('HeartbeatBatcher', () => {
  it('runs at most maxConcurrent commits, starting the second while the first is open', async () => {
    const c = controlledCommits();
    const committed: number[] = [];
    const b = new HeartbeatBatcher({ maxWaitMs: 1, maxBatch: 3, maxConcurrent: 2, commit: c.commit, onCommitted: (items) => committed.push(items.length), onCommitFailed: () => undefined });
    for (let n = 0; n < 9; n++) b.add(item(n));
    await until(() => c.open.length === 2);
    expect(c.open.map((o) => o.size)).toEqual([3, 3]);
    expect(b.pending).toBe(3);
    await c.settleNext();
    await until(() => c.open.length === 2);
    expect(c.open.map((o) => o.size)).toEqual([3, 3]);
    await c.settleNext();
    await until(() => c.open.length === 1);
    await c.settleNext();
    await until(() => committed.length === 3);
    expect(committed).toEqual([3, 3, 3]);
    expect(c.maxOpen()).toBe(2);
    expect(b.pending).toBe(0);
  });

  it('keeps a failed batch, retries one batch at a time, and loses nothing', async () => {
    const c = controlledCommits();
    const committed: string[] = [];
    const failures: number[] = [];
    const b = new HeartbeatBatcher({
      maxWaitMs: 1, maxBatch: 2, maxConcurrent: 2, commit: c.commit,
      onCommitted: (items) => committed.push(...items.map((i) => i.heartbeat!.deviceId)),
      onCommitFailed: (_e, attempt) => failures.push(attempt),
    });
    for (let n = 0; n < 4; n++) b.add(item(n));
    await until(() => c.open.length === 2);
    await c.settleNext(new Error('database down'));
    await until(() => failures.length === 1);
    await c.settleNext(new Error('database down'));
    await until(() => failures.length === 2);
    expect(failures).toEqual([1, 2]);
    // After the backoff, a single attempt while failing: both failed batches wait in the queue.
    await until(() => c.open.length === 1);
    await tick(50);
    expect(c.open).toHaveLength(1);
    await c.settleNext();
    // Success resets the failure count: the rest may go two at a time again.
    await until(() => b.pending === 0 && c.open.length > 0);
    while (c.open.length) await c.settleNext();
    expect(committed.sort()).toEqual(['d0', 'd1', 'd2', 'd3']);
    expect(b.pending).toBe(0);
  });

  it('drains every queued and running batch on shutdown', async () => {
    const committed: number[] = [];
    const b = new HeartbeatBatcher({
      maxWaitMs: 1_000, maxBatch: 2, maxConcurrent: 2,
      commit: async () => {
        await tick(2);
        return plan();
      },
      onCommitted: (items) => committed.push(items.length),
      onCommitFailed: () => undefined,
    });
    for (let n = 0; n < 5; n++) b.add(item(n));
    await b.drain();
    expect(committed.reduce((a, x) => a + x, 0)).toBe(5);
    expect(b.pending).toBe(0);
  });
});
