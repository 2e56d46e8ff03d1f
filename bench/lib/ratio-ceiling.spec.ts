import { CpuReport } from './cpu';
import { ratioCeiling } from './ratio-ceiling';

const report = (wallSeconds: number, processes: Record<string, number>, otherSeconds: number): CpuReport => ({
  wallSeconds,
  capacitySeconds: wallSeconds * 2,
  machineBusySeconds: Object.values(processes).reduce((a, x) => a + x, 0) + otherSeconds,
  processes,
  otherSeconds,
});

describe('ratioCeiling', () => {
  it('charges the service only what the bare subscriber cost, and everything else what it cost', () => {
    // 100,000 messages; the raw phase received 50,000/s with a subscriber costing 1 CPU-s.
    const raw = { msgsPerSec: 50_000, cpu: report(2, { broker: 0.8, raw_subscriber: 1, bench: 2 }, 0) };
    // The service phase: broker 1, publishers 2, service 3 (not counted), PostgreSQL 2.
    const service = report(5, { broker: 1, service: 3, bench: 2 }, 2);
    const c = ratioCeiling(raw, service, 100_000);
    expect(c.cpuSeconds).toEqual({ broker: 1, publishers: 2, subscriber: 1, postgres: 2 });
    expect(c.cores).toBe(2);
    // 6 CPU-s on 2 cores = 3 s for 100,000 messages: 33,333/s, i.e. 2/3 of 50,000/s.
    expect(c.ratio).toBeCloseTo(2 / 3, 10);
  });

  it('does not depend on how long the measured service phase took, only on what it cost', () => {
    const raw = { msgsPerSec: 40_000, cpu: report(3, { broker: 1, raw_subscriber: 1.5, bench: 3 }, 0) };
    const slow = ratioCeiling(raw, report(10, { broker: 1, service: 4, bench: 2.5 }, 3), 120_000);
    const fast = ratioCeiling(raw, report(4, { broker: 1, service: 2, bench: 2.5 }, 3), 120_000);
    expect(slow.ratio).toBeCloseTo(fast.ratio, 10);
  });
});
