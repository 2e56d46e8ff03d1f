import { EmbeddedPostgres } from '../../src/database/embedded-postgres';
import { createTestDatabase, dropTestDatabase } from './test-app';

/** A database that outlives the app instances a test boots on it, reached by URL like an external PostgreSQL. */
export interface SharedTestDatabase {
  url: string;
  /** Environment every app booted on `url` needs. */
  appEnv: Record<string, string>;
  drop: () => Promise<void>;
}

/**
 * A fresh database of TEST_DATABASE_URL's server, else a PGlite behind its socket server. The
 * socket server mixes up the answers of concurrent connections (electric-sql/pglite#1046: a
 * CHECK violation once came back as an empty result), so on PGlite the app gets one connection,
 * as the embedded default does, and a test reads and writes raw SQL through that same
 * connection (the app's DataSource) rather than a client of its own beside it.
 */
export async function sharedTestDatabase(): Promise<SharedTestDatabase> {
  const real = await createTestDatabase();
  if (real) return { url: real, appEnv: {}, drop: () => dropTestDatabase(real) };
  // 2: the connection of an app being closed may still be counted while the next one connects.
  const embedded = await EmbeddedPostgres.start('memory://', 2);
  return { url: embedded.url, appEnv: { DATABASE_POOL_SIZE: '1' }, drop: () => embedded.stop() };
}
