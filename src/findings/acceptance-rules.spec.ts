import { acceptanceState, checkExpiry, MAX_ACCEPTANCE_DAYS } from './acceptance-rules';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;

describe('checkExpiry', () => {
  it('takes a date-time within the year ahead, a second ahead too', () => {
    expect(checkExpiry('2026-06-01T00:00:00Z', NOW)).toEqual({ ok: true, at: new Date('2026-06-01T00:00:00Z') });
    expect(checkExpiry('2026-03-01T12:00:01Z', NOW).ok).toBe(true);
  });

  it('takes exactly the maximum and refuses a millisecond beyond it', () => {
    const max = new Date(NOW.getTime() + MAX_ACCEPTANCE_DAYS * DAY);
    expect(checkExpiry(max.toISOString(), NOW).ok).toBe(true);
    expect(checkExpiry(new Date(max.getTime() + 1).toISOString(), NOW)).toEqual({
      ok: false,
      message: expect.stringMatching(/^expiresAt: must be at most 365 days/),
    });
  });

  it.each([
    ['the past', '2026-02-28T12:00:00Z'],
    ['now', NOW.toISOString()],
  ])('refuses %s, naming the field', (_label, value) => {
    expect(checkExpiry(value, NOW)).toEqual({ ok: false, message: expect.stringMatching(/^expiresAt: must be in the future/) });
  });

  it('refuses text that is no date', () => {
    expect(checkExpiry('next week', NOW)).toEqual({ ok: false, message: expect.stringMatching(/^expiresAt:/) });
  });
});

describe('acceptanceState', () => {
  const later = new Date(NOW.getTime() + DAY);
  const earlier = new Date(NOW.getTime() - DAY);

  it('is active on an open finding before its expiry', () => {
    expect(acceptanceState({ expiresAt: later, revokedAt: null }, 'open', NOW)).toBe('active');
  });

  it('is expired on an open finding at or after its expiry', () => {
    expect(acceptanceState({ expiresAt: NOW, revokedAt: null }, 'open', NOW)).toBe('expired');
    expect(acceptanceState({ expiresAt: earlier, revokedAt: null }, 'open', NOW)).toBe('expired');
  });

  it('ends with a finding that is resolved', () => {
    expect(acceptanceState({ expiresAt: later, revokedAt: null }, 'resolved', NOW)).toBe('ended');
  });

  it('is revoked once revoked, whatever else holds', () => {
    expect(acceptanceState({ expiresAt: later, revokedAt: earlier }, 'open', NOW)).toBe('revoked');
    expect(acceptanceState({ expiresAt: earlier, revokedAt: earlier }, 'resolved', NOW)).toBe('revoked');
  });
});
