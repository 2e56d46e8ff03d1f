import { RemediationPolicy } from './decision';
import { effectiveDecision, severityFallback } from './effective-decision';

const policy: RemediationPolicy = {
  due: { immediate: 'P2D', out_of_cycle: 'P14D', scheduled: 'P90D', defer: null },
  autoOpenDecisions: ['immediate', 'out_of_cycle'],
};
const detectedAt = new Date('2026-03-01T00:00:00Z');
const days = (n: number) => new Date(detectedAt.getTime() + n * 86_400_000);

describe('effectiveDecision', () => {
  it('is the computed SSVC decision and due date whenever there is one, whatever the severity', () => {
    const dueAt = new Date('2026-03-05T00:00:00Z');
    expect(effectiveDecision({ decision: 'scheduled', dueAt, severity: 'critical', detectedAt }, policy)).toEqual({ decision: 'scheduled', dueAt });
    expect(effectiveDecision({ decision: 'immediate', dueAt: null, severity: 'low', detectedAt }, policy)).toEqual({ decision: 'immediate', dueAt: null });
  });

  it.each([
    ['critical', 'immediate', days(2)],
    ['high', 'out_of_cycle', days(14)],
    ['medium', 'scheduled', days(90)],
    ['low', 'defer', null],
    ['none', 'defer', null],
    ['unknown', 'defer', null],
    ['something new', 'defer', null],
  ])('falls back from severity %s to %s, due by the policy from detection', (severity, decision, dueAt) => {
    expect(effectiveDecision({ decision: null, dueAt: null, severity, detectedAt }, policy)).toEqual({ decision, dueAt });
  });

  it('follows the policy: a changed duration, a decision without one, an unreadable one', () => {
    expect(severityFallback({ severity: 'critical', detectedAt }, { ...policy, due: { immediate: 'PT4H' } }).dueAt).toEqual(new Date('2026-03-01T04:00:00Z'));
    expect(severityFallback({ severity: 'high', detectedAt }, { ...policy, due: {} }).dueAt).toBeNull();
    expect(severityFallback({ severity: 'high', detectedAt }, { ...policy, due: { out_of_cycle: 'two weeks' } }).dueAt).toBeNull();
  });
});
