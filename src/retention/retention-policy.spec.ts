import { pruneSteps, RetentionDays } from './retention-policy';

const days: RetentionDays = { firmware_history: 730, audit_log: 2190, unknown_devices: 90, security_events: 365, work_orders: 2190 };
const now = new Date('2026-12-07T10:00:00.000Z');

describe('pruneSteps', () => {
  it('gives each table its cutoff, whole days before now', () => {
    expect(pruneSteps(days, now)).toEqual([
      { table: 'firmware_history', cutoff: new Date('2024-12-07T10:00:00.000Z') },
      { table: 'audit_log', cutoff: new Date('2020-12-08T10:00:00.000Z') },
      { table: 'unknown_devices', cutoff: new Date('2026-09-08T10:00:00.000Z') },
      { table: 'security_events', cutoff: new Date('2025-12-07T10:00:00.000Z') },
      { table: 'work_orders', cutoff: new Date('2020-12-08T10:00:00.000Z') },
    ]);
  });

  it('leaves out a table kept forever (0 days)', () => {
    expect(pruneSteps({ ...days, audit_log: 0, unknown_devices: 0 }, now).map((s) => s.table)).toEqual(['firmware_history', 'security_events', 'work_orders']);
  });

  it('prunes nothing when every table is kept forever', () => {
    expect(pruneSteps({ firmware_history: 0, audit_log: 0, unknown_devices: 0, security_events: 0, work_orders: 0 }, now)).toEqual([]);
  });

  it('keeps exactly one day with a retention of one day', () => {
    expect(pruneSteps({ ...days, unknown_devices: 1 }, now).find((s) => s.table === 'unknown_devices')!.cutoff).toEqual(new Date('2026-12-06T10:00:00.000Z'));
  });
});
