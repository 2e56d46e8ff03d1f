import { randomBytes } from 'node:crypto';
import { hashApiKeySecret } from './api-key-secret';

/**
 * Every secret this service hands out is a prefix plus 256 random bits (base64url). The prefixes
 * never overlap: an API key is `iomt_` + base64url, whose sixth character can be anything, so
 * sessions and challenges use `iomts_` / `iomtc_`, which differ from `iomt_` at the fifth
 * character. The guard can tell a session from a key without a database round trip.
 */
export const SESSION_TOKEN_PREFIX = 'iomts_';
export const CHALLENGE_TOKEN_PREFIX = 'iomtc_';

export type BearerKind = 'session' | 'challenge' | 'api-key';

export function bearerKind(token: string): BearerKind {
  if (token.startsWith(SESSION_TOKEN_PREFIX)) return 'session';
  if (token.startsWith(CHALLENGE_TOKEN_PREFIX)) return 'challenge';
  return 'api-key';
}

export function generateToken(prefix: typeof SESSION_TOKEN_PREFIX | typeof CHALLENGE_TOKEN_PREFIX): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** The API keys' SHA-256: high-entropy tokens need no slow hash, so the lookup stays one indexed equality. */
export const hashToken: (token: string) => string = hashApiKeySecret;
