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
  const earlier = new Date(NOW.getTime() - DAY);

  it('is active on an open finding the database says it hides now', () => {
    expect(acceptanceState({ revokedAt: null }, 'open', true)).toBe('active');
  });

  it('is expired on an open finding the database says it no longer hides', () => {
    expect(acceptanceState({ revokedAt: null }, 'open', false)).toBe('expired');
  });

  it('ends with a finding that is resolved', () => {
    expect(acceptanceState({ revokedAt: null }, 'resolved', false)).toBe('ended');
  });

  it('is revoked once revoked, whatever else holds', () => {
    expect(acceptanceState({ revokedAt: earlier }, 'open', false)).toBe('revoked');
    expect(acceptanceState({ revokedAt: earlier }, 'resolved', false)).toBe('revoked');
  });
});
