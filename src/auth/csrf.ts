/**
 * The console's defence against cross-site request forgery on writes made with the session
 * cookie. SameSite=Strict already keeps the cookie off cross-site requests in current browsers;
 * this is the second, independent layer for older ones and for same-site sibling hosts:
 * - the request must carry CONSOLE_HEADER, which a cross-origin page cannot add without a CORS
 *   preflight that this service refuses (CORS never allows it, and never with credentials);
 * - an Origin header, when the browser sends one, must be this service's own origin;
 * - Sec-Fetch-Site, when sent, must be same-origin.
 * Bearer requests (API keys, scripts) are not browser-ambient and need none of this.
 */
export const CONSOLE_HEADER = 'x-iomt-console';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface BrowserRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** This service's origin as the browser reached it, e.g. https://iomt.hospital.example */
  ownOrigin: string;
}

const header = (r: BrowserRequest, name: string): string | undefined => {
  const v = r.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Why a cookie-authenticated request must be refused, or null when it may go on. */
export function csrfRefusal(r: BrowserRequest): string | null {
  if (SAFE_METHODS.has(r.method.toUpperCase())) return null;
  if (header(r, CONSOLE_HEADER) !== '1') return `${CONSOLE_HEADER}: a write with the session cookie must carry "${CONSOLE_HEADER}: 1"`;
  const origin = header(r, 'origin');
  if (origin !== undefined && origin !== r.ownOrigin) return `Origin: ${origin} is not this service's origin`;
  const site = header(r, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return `Sec-Fetch-Site: ${site} requests may not write with the session cookie`;
  return null;
}
