import { DataSource } from 'typeorm';

/**
 * The connections heartbeat batches commit on. On an external PostgreSQL they are their own
 * pool, so that API readers can never hold every connection while heartbeats wait: at a million
 * devices, 20 clients paging reports took all ten connections of the shared pool and
 * publish -> committed p99 rose from 0.5 s to 18.9 s (issue 19). The embedded PGlite has one
 * session, so there it is the primary data source itself.
 */
export const INGEST_DATA_SOURCE = Symbol('INGEST_DATA_SOURCE');

/** Heartbeat batches committing at once on an external PostgreSQL: one connection each. */
export const INGEST_CONNECTIONS = 2;

/** A pool of INGEST_CONNECTIONS with the primary's own options (entities, naming, session settings). */
export function openIngestDataSource(primary: DataSource): Promise<DataSource> {
  return new DataSource({ ...primary.options, poolSize: INGEST_CONNECTIONS, migrations: [], migrationsRun: false } as typeof primary.options).initialize();
}
