import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/** A sealed value names a key this keyring does not hold (rotated away, or a wrong key configured). */
export class DataKeyMismatchError extends Error {
  constructor(
    readonly keyId: string,
    readonly currentKeyId: string,
  ) {
    super(`value was sealed with data key ${keyId}, which is not configured (current key ${currentKeyId}; set IOMT_DATA_KEY_PREVIOUS to that key)`);
    this.name = 'DataKeyMismatchError';
  }
}

/** First 8 hex digits of the key's SHA-256: names a key without revealing anything usable about it. */
export function dataKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The key id a sealed value names, or null when the text is not a sealed value at all. */
export function sealedKeyId(sealed: string): string | null {
  const parts = sealed.split('.');
  return parts.length === 5 && parts[0] === VERSION ? parts[1] : null;
}

/**
 * AES-256-GCM for small values kept at rest (TOTP secrets, patient references), over a keyring:
 * the current key seals, the current and previous keys open. A sealed value is
 * `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts): the key id says which key opens it, so
 * values sealed before a rotation stay readable until they are re-sealed, and a rotation can
 * find what still needs it. The context (e.g. `totp:<userId>`) is bound as additional
 * authenticated data: a sealed value copied onto another row does not open there.
 */
export class DataProtector {
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    for (const key of [current, ...previous]) {
      if (key.length !== 32) throw new Error('a data key must be 32 bytes');
      // First wins: a previous key equal to the current one changes nothing.
      if (!this.keys.has(dataKeyId(key))) this.keys.set(dataKeyId(key), key);
    }
    this.keyId = dataKeyId(current);
  }

  /** Every key id this keyring opens, the current one first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.keyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Throws when the value was sealed under a key not in the ring, for another context, or was altered. */
  open(sealed: string, context: string): string {
    const keyId = sealedKeyId(sealed);
    if (keyId === null) throw new Error('not a sealed value');
    const key = this.keys.get(keyId);
    if (!key) throw new DataKeyMismatchError(keyId, this.keyId);
    const [, , iv, ciphertext, tag] = sealed.split('.');
    // A fixed tag length: GCM would otherwise accept a truncated tag, which is easier to forge.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** The same plaintext sealed under the current key; a value already under it is returned as is. */
  reseal(sealed: string, context: string): string {
    if (sealedKeyId(sealed) === this.keyId) {
      this.open(sealed, context); // still proves it is intact before saying it needs nothing
      return sealed;
    }
    return this.seal(this.open(sealed, context), context);
  }
}
