import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DataProtector } from './data-protector';

export type DataKeySource = 'environment' | 'key file' | 'ephemeral';

/**
 * Where the data key comes from, in order: IOMT_DATA_KEY (production: a secret manager); else a
 * key file beside the embedded data (`<DATA_DIR>/data.key`, created once, mode 0600), so that
 * `npm start` on a bare machine keeps people's MFA and patient links across restarts; else, with in-memory data
 * (tests), a key that lives as long as the process. Both fallbacks log a warning.
 */
export function loadDataKey(config: AppConfig, logger = new Logger('DataKey')): { key: Buffer; source: DataKeySource } {
  if (config.IOMT_DATA_KEY) return { key: Buffer.from(config.IOMT_DATA_KEY, 'base64'), source: 'environment' };
  if (config.DATA_DIR.startsWith('memory://')) {
    logger.warn('IOMT_DATA_KEY is not set and data is in memory: sealed values (TOTP secrets, patient links) use a key that dies with this process');
    return { key: randomBytes(32), source: 'ephemeral' };
  }
  const file = resolve(config.DATA_DIR, 'data.key');
  mkdirSync(config.DATA_DIR, { recursive: true });
  try {
    // 'wx' fails if another process created it first; then everyone reads the same key.
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
    logger.warn({ file }, 'IOMT_DATA_KEY is not set: created a data key file; in production set IOMT_DATA_KEY from a secret store instead');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    logger.warn({ file }, 'IOMT_DATA_KEY is not set: using the data key file; in production set IOMT_DATA_KEY from a secret store instead');
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return { key, source: 'key file' };
}

/** The keyring: the current key seals; IOMT_DATA_KEY_PREVIOUS, during a rotation, still opens. */
export function createDataProtector(config: AppConfig, logger = new Logger('DataKey')): DataProtector {
  const previous = config.IOMT_DATA_KEY_PREVIOUS ? [Buffer.from(config.IOMT_DATA_KEY_PREVIOUS, 'base64')] : [];
  const protector = new DataProtector(loadDataKey(config, logger).key, previous);
  // Key ids are hash prefixes, safe to log; they let an operator match values to keys.
  if (previous.length)
    logger.log({ current: protector.keyId, previous: protector.keyIds.slice(1) }, 'data keyring: sealing under the current key, opening with both');
  return protector;
}
