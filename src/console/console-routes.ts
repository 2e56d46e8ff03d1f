/**
 * The console's deep links (DESIGN: stable, pasted into tickets). Only these fall back to the
 * single-page app's index.html; everything else (/api, /docs, /health, /metrics, a typo) is
 * answered by the API as before, so a wrong API path never gets an HTML 200.
 */
const DEEP_LINKS = [
  /^\/$/,
  /^\/login$/,
  /^\/exposure$/,
  /^\/devices$/,
  /^\/devices\/[^/]+$/,
  /^\/advisories$/,
  /^\/advisories\/[^/]+$/,
  /^\/rogue-devices$/,
  /^\/work-orders$/,
  /^\/work-orders\/[^/]+$/,
  /^\/admin$/,
];

export function isConsoleRoute(path: string): boolean {
  return DEEP_LINKS.some((r) => r.test(path));
}

/** Vite names built assets by content hash: they may be cached for good; index.html never. */
export const IMMUTABLE_ASSET_CACHE = 'public, max-age=31536000, immutable';
export const INDEX_CACHE = 'no-cache';

/**
 * The console's Content-Security-Policy: its own scripts, styles and API only. No inline
 * script or style, no eval, not framable; a QR code is drawn as SVG elements, so no data: images.
 */
export const CONSOLE_CSP_DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};
