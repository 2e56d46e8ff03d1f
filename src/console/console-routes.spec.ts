import { isConsoleRoute } from './console-routes';

describe('isConsoleRoute', () => {
  it.each([
    '/',
    '/login',
    '/exposure',
    '/devices',
    '/devices/7d6f0c1e-1111-4b9a-8c63-2f3c1a9e0b11',
    '/advisories',
    '/advisories/abc',
    '/rogue-devices',
    '/work-orders',
    '/work-orders/5b1e1c9a-3f55-4c1e-9d2b-0c6a7e1f2a33',
    '/admin',
  ])('serves the console at %s', (path) => expect(isConsoleRoute(path)).toBe(true));

  it.each([
    '/api/v1/devices',
    '/api',
    '/docs',
    '/docs/',
    '/docs-json',
    '/health',
    '/metrics',
    '/devices/a/b',
    '/admin/x',
    '/work-orders/a/b',
    '/nope',
    '/login/',
    '/assets/index.js',
  ])('leaves %s to the API', (path) => expect(isConsoleRoute(path)).toBe(false));
});
