import { BatcherOptions, BatchItem, HeartbeatBatcher } from './heartbeat-batcher';
import { Heartbeat } from './heartbeat-message';
import { emptyPlan, HeartbeatPlan } from './heartbeat-plan';

const item = (n: number): BatchItem => ({ heartbeat: { deviceId: `d${n}` } as Heartbeat });

/** A commit that stays open until the test settles it, recording what ran at once. */
function controlledCommits() {
  const open: Array<{ size: number; settle: (error?: Error) => void }> = [];
  let maxOpen = 0;
  const commit: BatcherOptions['commit'] = (heartbeats) =>
    new Promise<HeartbeatPlan>((resolve, reject) => {
      open.push({ size: heartbeats.length, settle: (error) => (error ? reject(error) : resolve(emptyPlan())) });
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

/** A batcher for which no failure is a data error (the cases that do not test that). */
const batcher = (o: Omit<BatcherOptions, 'isDataError' | 'unstorable' | 'onDropped'> & Partial<BatcherOptions>) =>
  new HeartbeatBatcher({ isDataError: () => false, unstorable: (i) => i, onDropped: () => undefined, ...o });

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
    const b = batcher({
      maxWaitMs: 1,
      maxBatch: 3,
      maxConcurrent: 2,
      commit: c.commit,
      onCommitted: (items) => committed.push(items.length),
      onCommitFailed: () => undefined,
    });
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
    const b = batcher({
      maxWaitMs: 1,
      maxBatch: 2,
      maxConcurrent: 2,
      commit: c.commit,
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
    const b = batcher({
      maxWaitMs: 1_000,
      maxBatch: 2,
      maxConcurrent: 2,
      commit: async () => {
        await tick(2);
        return emptyPlan();
      },
      onCommitted: (items) => committed.push(items.length),
      onCommitFailed: () => undefined,
    });
    for (let n = 0; n < 5; n++) b.add(item(n));
    await b.drain();
    expect(committed.reduce((a, x) => a + x, 0)).toBe(5);
    expect(b.pending).toBe(0);
  });

  describe('a batch the database refuses for its data', () => {
    class DataError extends Error {}
    const refused = (id: string) => ({ heartbeat: { deviceId: id } as Heartbeat });

    it('splits it until the refused message is alone, stores that one as a rejection, and commits the rest', async () => {
      const attempts: string[][] = [];
      const committed: string[] = [];
      const failed: unknown[] = [];
      const b = batcher({
        maxWaitMs: 1,
        maxBatch: 8,
        maxConcurrent: 1,
        commit: async (heartbeats, rejections) => {
          attempts.push([...heartbeats.map((h) => h.deviceId), ...rejections.map((r) => `rejected:${r.topic}`)]);
          if (heartbeats.some((h) => h.deviceId === 'bad')) throw new DataError('invalid byte sequence');
          return emptyPlan();
        },
        isDataError: (e) => e instanceof DataError,
        unstorable: (i) => ({
          ack: i.ack,
          rejection: { receivedAt: new Date(0), topic: i.heartbeat!.deviceId, reason: 'unstorable', detail: 'refused', payload: null },
        }),
        onCommitted: (items) => committed.push(...items.map((i) => i.heartbeat?.deviceId ?? `rejected:${i.rejection!.topic}`)),
        onCommitFailed: (e) => failed.push(e),
      });
      for (const id of ['d0', 'd1', 'd2', 'bad', 'd4', 'd5', 'd6', 'd7']) b.add(refused(id));
      await until(() => committed.length === 8);
      expect(committed.sort()).toEqual(['d0', 'd1', 'd2', 'd4', 'd5', 'd6', 'd7', 'rejected:bad']);
      // Halving: 8 -> 4 (refused) -> 2 (ok) + 2 (refused) -> 1 (refused, stored as a rejection) + 1; then the other 4.
      expect(attempts).toEqual([
        ['d0', 'd1', 'd2', 'bad', 'd4', 'd5', 'd6', 'd7'],
        ['d0', 'd1', 'd2', 'bad'],
        ['d0', 'd1'],
        ['d2', 'bad'],
        ['d2'],
        ['bad'],
        ['rejected:bad'],
        ['d4', 'd5', 'd6', 'd7'],
      ]);
      // Not a failure to retry: nothing was held back.
      expect(failed).toEqual([]);
      expect(b.uncommitted).toBe(0);
    });

    it('acknowledges a rejection the database refuses too, and says so, rather than stop ingest', async () => {
      const dropped: BatchItem[] = [];
      const committed: BatchItem[] = [];
      const b = batcher({
        maxWaitMs: 1,
        maxBatch: 2,
        maxConcurrent: 1,
        commit: async (_h, rejections) => {
          if (rejections.length) throw new DataError('value too long');
          return emptyPlan();
        },
        isDataError: (e) => e instanceof DataError,
        onDropped: (i) => dropped.push(i),
        onCommitted: (items) => committed.push(...items),
        onCommitFailed: () => undefined,
      });
      const bad: BatchItem = { rejection: { receivedAt: new Date(0), topic: 't', reason: 'not_json', detail: 'x', payload: null } };
      b.add(bad);
      b.add(item(1));
      await until(() => committed.length === 2);
      expect(dropped).toEqual([bad]);
      expect(committed).toContain(bad);
    });

    it('keeps retrying the whole batch when the failure is not about its data (database down)', async () => {
      let calls = 0;
      const failed: number[] = [];
      const b = batcher({
        maxWaitMs: 1,
        maxBatch: 4,
        maxConcurrent: 1,
        commit: async () => {
          if (++calls < 3) throw new Error('connection refused');
          return emptyPlan();
        },
        isDataError: (e) => e instanceof DataError,
        onCommitted: () => undefined,
        onCommitFailed: (_e, attempt) => failed.push(attempt),
      });
      for (let n = 0; n < 4; n++) b.add(item(n));
      await until(() => calls === 3 && b.uncommitted === 0);
      expect(failed).toEqual([1, 2]);
    });
  });
});
