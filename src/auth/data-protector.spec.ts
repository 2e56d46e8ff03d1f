import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { loadDataKey } from './data-key';
import { DataKeyMismatchError, DataProtector } from './data-protector';

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
