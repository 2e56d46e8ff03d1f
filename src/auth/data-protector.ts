import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class DataKeyMismatchError extends Error {
  constructor(readonly keyId: string, readonly currentKeyId: string) {
    super(`value was sealed with data key ${keyId}, but the configured key is ${currentKeyId}`);
    this.name = 'DataKeyMismatchError';
  }
}

/**
 * AES-256-GCM for small secrets kept at rest (TOTP secrets). A sealed value is
 * `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts): the key id (first 8 hex digits of the
 * key's SHA-256) says which key sealed it, so a rotation can find what still needs re-sealing.
 * The context (e.g. `totp:<userId>`) is bound as additional authenticated data: a sealed value
 * copied onto another row does not open there.
 */
export class DataProtector {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the data key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest('hex').slice(0, 8);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** Throws when the value was sealed under another key, for another context, or was altered. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new Error('not a sealed value');
    const [, keyId, iv, ciphertext, tag] = parts;
    if (keyId !== this.keyId) throw new DataKeyMismatchError(keyId, this.keyId);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
