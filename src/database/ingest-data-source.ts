import { DataSource } from 'typeorm';

/**
 * The connections heartbeat batches commit on. On an external PostgreSQL they are their own
 * pool, so that API readers can never hold every connection while heartbeats wait: at a million
 * devices, 20 clients paging reports took all ten connections of the shared pool and
 * publish -> committed p99 rose from 0.5 s to 18.9 s (issue 19). Where the service holds one
 * connection it is the primary data source itself (ingestConnections).
 */
export const INGEST_DATA_SOURCE = Symbol('INGEST_DATA_SOURCE');

/** Heartbeat batches committing at once on an external PostgreSQL: one connection each. */
export const INGEST_CONNECTIONS = 2;

/**
 * Whether heartbeat batches get their own pool, and how many commit at once. Where the service
 * holds one connection (the embedded PGlite, or DATABASE_POOL_SIZE=1, which a PGlite reached
 * through DATABASE_URL needs) they share it, one batch at a time: a second session would be one
 * more for PGlite's socket server to interleave, and a second batch would only queue.
 */
export function ingestConnections(c: { embeddedDatabase: boolean; databasePoolSize: number }): { ownPool: boolean; concurrentBatches: number } {
  const single = c.embeddedDatabase || c.databasePoolSize === 1;
  return { ownPool: !single, concurrentBatches: single ? 1 : INGEST_CONNECTIONS };
}

/** A pool of INGEST_CONNECTIONS with the primary's own options (entities, naming, session settings). */
export function openIngestDataSource(primary: DataSource): Promise<DataSource> {
  return new DataSource({ ...primary.options, poolSize: INGEST_CONNECTIONS, migrations: [], migrationsRun: false } as typeof primary.options).initialize();
}
