import { CONSOLE_HEADER, csrfRefusal } from './csrf';

const own = 'https://iomt.hospital.example';
const req = (method: string, headers: Record<string, string> = {}) => ({ method, headers, ownOrigin: own });

describe('csrfRefusal', () => {
  it.each(['GET', 'HEAD', 'OPTIONS', 'get'])('lets a %s through without any header', (method) => {
    expect(csrfRefusal(req(method))).toBeNull();
  });

  it.each(['POST', 'PATCH', 'PUT', 'DELETE'])('refuses a %s without the console header, naming it', (method) => {
    expect(csrfRefusal(req(method))).toBe(`${CONSOLE_HEADER}: a write with the session cookie must carry "${CONSOLE_HEADER}: 1"`);
  });

  it('lets a write with the header and no Origin through (older browsers send none on same-origin)', () => {
    expect(csrfRefusal(req('POST', { [CONSOLE_HEADER]: '1' }))).toBeNull();
  });

  it('lets a write from its own origin through', () => {
    expect(csrfRefusal(req('POST', { [CONSOLE_HEADER]: '1', origin: own, 'sec-fetch-site': 'same-origin' }))).toBeNull();
  });

  it('refuses a write from another origin even with the header', () => {
    expect(csrfRefusal(req('POST', { [CONSOLE_HEADER]: '1', origin: 'https://evil.example' }))).toBe(
      "Origin: https://evil.example is not this service's origin",
    );
  });

  it('refuses a write a sibling site made, even when its Origin is forged away', () => {
    expect(csrfRefusal(req('DELETE', { [CONSOLE_HEADER]: '1', 'sec-fetch-site': 'same-site' }))).toMatch(/^Sec-Fetch-Site: same-site/);
  });

  it('refuses a header with another value', () => {
    expect(csrfRefusal(req('POST', { [CONSOLE_HEADER]: 'true' }))).not.toBeNull();
  });
});
