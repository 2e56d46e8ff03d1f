import { digestDateDue, digestFor } from './daily-digest';
import type { DigestFacts } from './security-events.repository';

const facts: DigestFacts = {
  newlyExposedDevices: 3,
  newFindingsByDecision: { immediate: 1, scheduled: 4 },
  overdueWorkOrders: 2,
  oldestOverdue: [{ workOrderId: 'w1', deviceId: 'd1', decision: 'immediate', dueAt: '2026-12-01T00:00:00.000Z' }],
  newRogueDevices: 1,
  rogueDevices: [{ claimedDeviceId: 'x', reason: 'not_registered', firstSeenAt: '2026-12-06T10:00:00.000Z', ipAddress: '10.0.0.9' }],
  securityEventsByType: { firmware_downgrade: 1 },
};

describe('daily digest', () => {
  it("gives IT and admins exposure, overdue work, rogue devices and the day's events", () => {
    for (const role of ['it', 'admin'] as const) {
      expect(Object.keys(digestFor(role, facts)).sort()).toEqual(
        [
          'newFindingsByDecision',
          'newRogueDevices',
          'newlyExposedDevices',
          'oldestOverdue',
          'overdueWorkOrders',
          'rogueDevices',
          'securityEventsByType',
        ].sort(),
      );
    }
  });

  it('gives biomedical engineers exposure and overdue work only', () => {
    expect(digestFor('biomed', facts)).toEqual({
      newlyExposedDevices: 3,
      newFindingsByDecision: { immediate: 1, scheduled: 4 },
      overdueWorkOrders: 2,
      oldestOverdue: facts.oldestOverdue,
    });
  });

  it('is due on its UTC date from the configured hour, not before', () => {
    expect(digestDateDue(new Date('2026-12-07T05:59:59Z'), 6)).toBeNull();
    expect(digestDateDue(new Date('2026-12-07T06:00:00Z'), 6)).toBe('2026-12-07');
    expect(digestDateDue(new Date('2026-12-07T23:59:59Z'), 0)).toBe('2026-12-07');
  });
});
