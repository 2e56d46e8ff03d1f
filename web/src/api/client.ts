import createClient, { Middleware } from 'openapi-fetch';
import type { paths } from './schema.gen';

/** The header the server's CSRF check wants on every write made with the session cookie. */
export const CONSOLE_HEADER = 'X-IoMT-Console';

const consoleHeader: Middleware = {
  onRequest({ request }) {
    request.headers.set(CONSOLE_HEADER, '1');
    return request;
  },
};

/** Typed against the service's own OpenAPI document; the session travels as an httpOnly cookie. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(consoleHeader);

/** The API's error body says which field was wrong; show that, not a status code. */
export function errorText(error: unknown, fallback = 'The request failed'): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const m = (error as { message: unknown }).message;
    if (Array.isArray(m)) return m.join('; ');
    if (typeof m === 'string') return m;
  }
  return fallback;
}
