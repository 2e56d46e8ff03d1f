import { parse, serialize } from 'cookie';

/** The console's session cookie: the same session token a person's bearer carries, out of JavaScript's reach. */
export const SESSION_COOKIE = 'iomt_session';
/** Sent only to the API: static files and the event stream's page never carry it needlessly. */
const COOKIE_PATH = '/api/v1';

/** The session token from a Cookie header, or null. */
export function sessionFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  const value = parse(header)[SESSION_COOKIE];
  return value && value.length >= 16 && value.length <= 512 ? value : null;
}

/** Set-Cookie for a new session; Secure whenever the browser reached us over HTTPS (directly or through a TLS proxy). */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: COOKIE_PATH, expires: expiresAt });
}

export function clearedSessionCookie(secure: boolean): string {
  return serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure, path: COOKIE_PATH, expires: new Date(0) });
}
