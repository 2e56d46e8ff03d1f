import { INGEST_CONNECTIONS, ingestConnections } from './ingest-data-source';

describe('ingestConnections', () => {
  it('gives heartbeat batches a pool of their own on an external PostgreSQL with a pool of several', () => {
    expect(ingestConnections({ embeddedDatabase: false, databasePoolSize: 10 })).toEqual({ ownPool: true, concurrentBatches: INGEST_CONNECTIONS });
    expect(ingestConnections({ embeddedDatabase: false, databasePoolSize: 2 })).toEqual({ ownPool: true, concurrentBatches: INGEST_CONNECTIONS });
  });

  it('keeps them on the one connection of the embedded database, one batch at a time', () => {
    expect(ingestConnections({ embeddedDatabase: true, databasePoolSize: 10 })).toEqual({ ownPool: false, concurrentBatches: 1 });
  });

  it('keeps them on the one connection DATABASE_POOL_SIZE=1 asks for (a PGlite through DATABASE_URL)', () => {
    expect(ingestConnections({ embeddedDatabase: false, databasePoolSize: 1 })).toEqual({ ownPool: false, concurrentBatches: 1 });
  });
});
