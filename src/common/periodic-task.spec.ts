import { Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  const logger = { warn: jest.fn() } as unknown as Logger;

  it('runs one pass at a time and times the next from the end of the last', async () => {
    let active = 0;
    let maxActive = 0;
    let passes = 0;
    const task = new PeriodicTask({
      run: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await tick(15);
        active--;
        passes++;
      },
      nextDelayMs: () => 1,
      logger,
      failureMessage: 'failed',
    });
    task.start(0);
    await tick(120);
    await task.stop();
    expect(maxActive).toBe(1);
    expect(passes).toBeGreaterThanOrEqual(2);
  });

  it('logs a failed pass and goes on to the next', async () => {
    const warn = jest.fn();
    let passes = 0;
    const task = new PeriodicTask({
      run: () => {
        passes++;
        return Promise.reject(new Error('database gone'));
      },
      nextDelayMs: () => 1,
      logger: { warn } as unknown as Logger,
      failureMessage: 'pass failed; it runs again at the next interval',
    });
    task.start(0);
    await tick(40);
    await task.stop();
    expect(passes).toBeGreaterThanOrEqual(2);
    expect(warn).toHaveBeenCalledWith({ err: 'database gone' }, 'pass failed; it runs again at the next interval');
  });

  it('stop() waits for the pass in progress and no pass starts after it', async () => {
    let finished = false;
    let passes = 0;
    const task = new PeriodicTask({
      run: async () => {
        passes++;
        await tick(30);
        finished = true;
      },
      nextDelayMs: () => 0,
      logger,
      failureMessage: 'failed',
    });
    task.start(0);
    await tick(5);
    await task.stop();
    expect(finished).toBe(true);
    expect(task.isStopped).toBe(true);
    const after = passes;
    await tick(20);
    expect(passes).toBe(after);
  });

  it('reads the delay after each pass, so a backoff can follow the last outcome', async () => {
    const delays: number[] = [];
    let n = 0;
    const task = new PeriodicTask({
      run: async () => {
        n++;
      },
      nextDelayMs: () => {
        delays.push(n);
        return 1;
      },
      logger,
      failureMessage: 'failed',
    });
    task.start(0);
    await tick(30);
    await task.stop();
    expect(delays.slice(0, 3)).toEqual([1, 2, 3]);
  });
});
