import { generateApiKeySecret } from './api-key-secret';
import { bearerKind, CHALLENGE_TOKEN_PREFIX, generateToken, hashToken, SESSION_TOKEN_PREFIX } from './bearer-token';

describe('bearer tokens', () => {
  it('tells sessions, challenges and API keys apart by prefix', () => {
    expect(bearerKind(generateToken(SESSION_TOKEN_PREFIX))).toBe('session');
    expect(bearerKind(generateToken(CHALLENGE_TOKEN_PREFIX))).toBe('challenge');
    expect(bearerKind(generateApiKeySecret())).toBe('api-key');
  });

  it('never mistakes an API key whose random part starts with "s_" or "c_" for a session or challenge', () => {
    expect(bearerKind('iomt_s_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe('api-key');
    expect(bearerKind('iomt_c_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe('api-key');
  });

  it('generates 256-bit tokens: prefix plus 43 base64url characters, all distinct', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => generateToken(SESSION_TOKEN_PREFIX)));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(t).toMatch(/^iomts_[A-Za-z0-9_-]{43}$/);
  });

  it('hashes to 64 hex characters, deterministically', () => {
    expect(hashToken('iomts_x')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken('iomts_x')).toBe(hashToken('iomts_x'));
    expect(hashToken('iomts_x')).not.toBe(hashToken('iomts_y'));
  });
});
