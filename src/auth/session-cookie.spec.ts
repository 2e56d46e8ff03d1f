import { clearedSessionCookie, SESSION_COOKIE, sessionCookie, sessionFromCookieHeader } from './session-cookie';

describe('session cookie', () => {
  const token = 'iomts_' + 'a'.repeat(40);

  it('is httpOnly, SameSite=Strict, scoped to the API and expires with the session', () => {
    const c = sessionCookie(token, new Date('2030-01-01T00:00:00Z'), false);
    expect(c).toBe(`${SESSION_COOKIE}=${token}; Path=/api/v1; Expires=Tue, 01 Jan 2030 00:00:00 GMT; HttpOnly; SameSite=Strict`);
  });

  it('is Secure when the browser came over HTTPS', () => {
    expect(sessionCookie(token, new Date('2030-01-01T00:00:00Z'), true)).toMatch(/; Secure/);
  });

  it('is cleared by an expired empty value on the same path', () => {
    expect(clearedSessionCookie(false)).toBe(`${SESSION_COOKIE}=; Path=/api/v1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict`);
  });

  it('is read from a Cookie header among others', () => {
    expect(sessionFromCookieHeader(`theme=dark; ${SESSION_COOKIE}=${token}; x=1`)).toBe(token);
  });

  it.each([undefined, '', 'theme=dark', `${SESSION_COOKIE}=short`])('reads no session from %p', (h) => {
    expect(sessionFromCookieHeader(h)).toBeNull();
  });
});
