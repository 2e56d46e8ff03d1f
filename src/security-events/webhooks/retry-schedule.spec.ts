import { givesUp, retryDelayMs } from './retry-schedule';

describe('retry schedule', () => {
  it('doubles from the base after each failure, up to the cap (no jitter at random 0.5)', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 5_000, 3_600_000, mid))).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(30, 5_000, 3_600_000, mid)).toBe(3_600_000);
    expect(retryDelayMs(10_000, 5_000, 3_600_000, mid)).toBe(3_600_000);
  });

  it('spreads each delay by at most 20 % either way', () => {
    expect(retryDelayMs(1, 10_000, 3_600_000, () => 0)).toBe(8_000);
    expect(retryDelayMs(1, 10_000, 3_600_000, () => 0.999999)).toBe(12_000);
  });

  it('keeps retrying for at least 24 hours with the default schedule before giving up', () => {
    // Every delay at its shortest (jitter -20 %): the attempts still span the window.
    let elapsed = 0;
    let attempts = 0;
    const created = new Date(0);
    while (!givesUp(created, new Date(elapsed), 90_000_000)) {
      attempts++;
      elapsed += retryDelayMs(attempts, 5_000, 3_600_000, () => 0);
    }
    expect(elapsed).toBeGreaterThanOrEqual(86_400_000);
    expect(attempts).toBeGreaterThan(20);
  });
});
