import { LOCKOUT_S, MAX_FAILED_ATTEMPTS, UnknownAccountLockout } from './login-lockout';

describe('UnknownAccountLockout', () => {
  it('locks an unknown email on the fifth failure, for 15 minutes, like a real account', () => {
    const lockout = new UnknownAccountLockout();
    const now = 1_000_000;
    const results = Array.from({ length: MAX_FAILED_ATTEMPTS }, () => lockout.recordFailure('ghost@x.example', now));
    expect(results).toEqual([false, false, false, false, true]);
    expect(lockout.isLocked('ghost@x.example', now + 1)).toBe(true);
    expect(lockout.isLocked('ghost@x.example', now + LOCKOUT_S * 1000 + 1)).toBe(false);
    expect(lockout.isLocked('other@x.example', now)).toBe(false);
  });

  it('forgets the oldest emails beyond its capacity', () => {
    const lockout = new UnknownAccountLockout(2);
    for (let i = 0; i < 5; i++) lockout.recordFailure('a@x', 0);
    lockout.recordFailure('b@x', 0);
    lockout.recordFailure('c@x', 0);
    expect(lockout.isLocked('a@x', 1)).toBe(false);
  });
});
