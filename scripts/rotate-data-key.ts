/**
 * Re-seals every value kept encrypted at rest (devices' patient links, people's TOTP secrets)
 * under the current data key. Run it after restarting the service with the new key in
 * IOMT_DATA_KEY and the old one in IOMT_DATA_KEY_PREVIOUS; when it reports `complete`, remove
 * IOMT_DATA_KEY_PREVIOUS and restart again. Safe to repeat: a second run re-seals nothing.
 *
 *   IOMT_DATA_KEY=<new> IOMT_DATA_KEY_PREVIOUS=<old> DATABASE_URL=... npm run rotate-data-key [-- --batch-size 500]
 *
 * Without DATABASE_URL it opens the embedded database under DATA_DIR, which only one process
 * may hold: stop the service first. Prints a JSON report (counts only, never values); exits 1
 * when a value could not be opened or is still under another key.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataProtector } from '../src/auth/data-key';
import { rotateDataKey } from '../src/auth/data-key-rotation';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { dataSourceOptions } from '../src/database/data-source-options';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';

async function main(): Promise<number> {
  // stdout carries only the JSON report (for scripts); warnings and errors go to stderr.
  Logger.overrideLogger(['error', 'warn']);
  const { values } = parseArgs({ options: { 'batch-size': { type: 'string', default: '500' } } });
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new ConfigError('--batch-size must be an integer from 1 to 10000');
  const config = loadConfig(process.env);
  if (config.DATA_DIR.startsWith('memory://') && !config.DATABASE_URL)
    throw new ConfigError('DATA_DIR=memory:// holds nothing to rotate: set DATABASE_URL or a DATA_DIR on disk');
  const protector = createDataProtector(config);
  const embedded = config.DATABASE_URL ? null : await EmbeddedPostgres.start(config.DATA_DIR, 3);
  const dataSource = new DataSource(dataSourceOptions(config.DATABASE_URL ?? embedded!.url, 1));
  try {
    await dataSource.initialize();
    // The service applies migrations at boot; a rotation never changes the schema behind its back.
    if (await dataSource.showMigrations()) throw new ConfigError('the database has pending migrations: start the service once (it applies them), then rotate');
    const report = await rotateDataKey(dataSource, protector, batchSize);
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return report.complete ? 0 : 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `Fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  },
);
