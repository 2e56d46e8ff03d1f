import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'iomt_';

/**
 * API key secrets are 256 random bits, so a fast SHA-256 is the right hash: there is nothing to
 * brute-force that a slow password hash would protect, and lookups stay one indexed query.
 */
export function generateApiKeySecret(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Enough of the secret to recognise it in a list, never enough to use it. */
export function displayPrefix(secret: string): string {
  return secret.slice(0, 10);
}
