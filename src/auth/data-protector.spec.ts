import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { createDataProtector, loadDataKey } from './data-key';
import { DataKeyMismatchError, dataKeyId, DataProtector, sealedKeyId } from './data-protector';

describe('DataProtector', () => {
  const protector = new DataProtector(randomBytes(32));

  it('opens what it sealed, in the same context', () => {
    const sealed = protector.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'totp:user-1');
    expect(sealed).toMatch(new RegExp(`^v1\\.${protector.keyId}\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(sealed).not.toContain('JBSWY3DP');
    expect(protector.open(sealed, 'totp:user-1')).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('seals the same value differently each time (random IV)', () => {
    expect(protector.seal('x', 'c')).not.toBe(protector.seal('x', 'c'));
  });

  it('refuses a value moved to another context (another user)', () => {
    const sealed = protector.seal('secret', 'totp:user-1');
    expect(() => protector.open(sealed, 'totp:user-2')).toThrow();
  });

  it('refuses an altered ciphertext', () => {
    const parts = protector.seal('secret-value', 'c').split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    parts[3] = ct.toString('base64url');
    expect(() => protector.open(parts.join('.'), 'c')).toThrow();
  });

  it('names the key a value was sealed with when the configured key differs', () => {
    const other = new DataProtector(randomBytes(32));
    expect(() => other.open(protector.seal('s', 'c'), 'c')).toThrow(DataKeyMismatchError);
  });
});

describe('loadDataKey', () => {
  it('uses IOMT_DATA_KEY when set', () => {
    const key = randomBytes(32);
    const loaded = loadDataKey(loadConfig({ IOMT_DATA_KEY: key.toString('base64') }));
    expect(loaded).toEqual({ key, source: 'environment' });
  });

  it('creates a key file under DATA_DIR once (mode 0600) and reads the same key afterwards', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iomt-key-'));
    const first = loadDataKey(loadConfig({ DATA_DIR: dir }));
    const second = loadDataKey(loadConfig({ DATA_DIR: dir }));
    expect(first.source).toBe('key file');
    expect(second.key.equals(first.key)).toBe(true);
    expect(Buffer.from(readFileSync(join(dir, 'data.key'), 'utf8').trim(), 'base64').equals(first.key)).toBe(true);
    expect(statSync(join(dir, 'data.key')).mode & 0o777).toBe(0o600);
  });

  it('uses a process-lifetime key for in-memory data', () => {
    expect(loadDataKey(loadConfig({ DATA_DIR: 'memory://' })).source).toBe('ephemeral');
  });
});

describe('DataProtector as a keyring', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const onlyA = new DataProtector(keyA);
  const rotating = new DataProtector(keyB, [keyA]);
  const onlyB = new DataProtector(keyB);

  it('names each key by the first 8 hex digits of its SHA-256', () => {
    expect(onlyA.keyId).toBe(dataKeyId(keyA));
    expect(onlyA.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(rotating.keyIds).toEqual([dataKeyId(keyB), dataKeyId(keyA)]);
  });

  it('seals under the current key and opens values of the previous one', () => {
    const old = onlyA.seal('MRN-1', 'patientRef:d1');
    expect(sealedKeyId(old)).toBe(onlyA.keyId);
    expect(rotating.open(old, 'patientRef:d1')).toBe('MRN-1');
    expect(sealedKeyId(rotating.seal('MRN-1', 'patientRef:d1'))).toBe(onlyB.keyId);
  });

  it('re-seals a previous-key value under the current key, same plaintext, same context', () => {
    const old = onlyA.seal('MRN-2', 'patientRef:d2');
    const resealed = rotating.reseal(old, 'patientRef:d2');
    expect(sealedKeyId(resealed)).toBe(onlyB.keyId);
    expect(onlyB.open(resealed, 'patientRef:d2')).toBe('MRN-2');
    expect(() => onlyB.open(resealed, 'patientRef:d3')).toThrow();
  });

  it('leaves a value already under the current key as it is', () => {
    const current = rotating.seal('MRN-3', 'c');
    expect(rotating.reseal(current, 'c')).toBe(current);
  });

  it('refuses to re-seal an altered value rather than sealing garbage', () => {
    const parts = onlyB.seal('MRN-4', 'c').split('.');
    parts[4] = Buffer.alloc(16).toString('base64url');
    expect(() => rotating.reseal(parts.join('.'), 'c')).toThrow();
  });

  it('cannot open a previous-key value once the previous key is gone, and says which key it needs', () => {
    const old = onlyA.seal('MRN-5', 'c');
    expect(() => onlyB.open(old, 'c')).toThrow(DataKeyMismatchError);
    expect(() => onlyB.open(old, 'c')).toThrow(new RegExp(`data key ${onlyA.keyId}, which is not configured`));
  });

  it('refuses a truncated authentication tag', () => {
    const parts = onlyA.seal('MRN-6', 'c').split('.');
    parts[4] = Buffer.from(parts[4], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => onlyA.open(parts.join('.'), 'c')).toThrow();
  });

  it('treats a previous key equal to the current one as a single key', () => {
    expect(new DataProtector(keyA, [keyA]).keyIds).toEqual([dataKeyId(keyA)]);
  });

  it('refuses a key that is not 32 bytes, current or previous', () => {
    expect(() => new DataProtector(keyA, [randomBytes(16)])).toThrow(/32 bytes/);
  });

  it('reads no key id from text that is not a sealed value', () => {
    expect(sealedKeyId('MRN-00412977')).toBeNull();
    expect(() => onlyA.open('MRN-00412977', 'c')).toThrow(/not a sealed value/);
  });
});

describe('createDataProtector', () => {
  it('builds the keyring from IOMT_DATA_KEY and IOMT_DATA_KEY_PREVIOUS', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const protector = createDataProtector(loadConfig({ IOMT_DATA_KEY: b.toString('base64'), IOMT_DATA_KEY_PREVIOUS: a.toString('base64') }));
    expect(protector.keyIds).toEqual([dataKeyId(b), dataKeyId(a)]);
    expect(protector.open(new DataProtector(a).seal('x', 'c'), 'c')).toBe('x');
  });
});
