import { Global, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { autovacuumGaps } from './autovacuum-check';
import { DATABASE_ENDPOINT, DatabaseEndpoint } from './database-endpoint';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';
import { EmbeddedVacuum } from './embedded-vacuum.service';
import { INGEST_DATA_SOURCE, ingestConnections, openIngestDataSource } from './ingest-data-source';
import { runMigrationsLocked } from './migration-runner';
import { openReadReplica, READ_REPLICA, REPORTS_DATA_SOURCE } from './read-replica';
import { TypeOrmToNestLogger } from './typeorm-logger';

// PGlite has one session. Its socket server interleaves extended-protocol messages of
// concurrent connections (electric-sql/pglite#1046, open): two parallel queries on two
// connections can swap or lose their answers (we saw an API key lookup come back empty). One
// connection serializes every statement in the driver instead, which PGlite does anyway.
// A real PostgreSQL gets a normal pool, sized by DATABASE_POOL_SIZE (a PGlite reached through
// DATABASE_URL, as some tests do, needs 1 for the same reason).
const EMBEDDED_POOL = 1;

/**
 * Owns the endpoint so that the embedded server stops only after TypeORM has closed, and tells
 * the operator of an external server when nothing vacuums the tables heartbeats rewrite.
 */
class DatabaseLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @Inject(DATABASE_ENDPOINT) private readonly endpoint: DatabaseEndpoint,
    private readonly dataSource: DataSource,
    @Inject(READ_REPLICA) private readonly readReplica: DataSource | null,
    @Inject(INGEST_DATA_SOURCE) private readonly ingest: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The embedded server is for trying the service out; its settings are ours, not an operator's.
    if (this.endpoint.embedded) return;
    const gaps = await autovacuumGaps(this.dataSource).catch((e: Error) => [`could not read the autovacuum settings: ${e.message}`]);
    if (gaps.length) {
      this.logger.warn(
        { gaps },
        'autovacuum is not tending device_presence and devices: every heartbeat leaves a dead row version there, and ingest slows as they pile up (docs/deployment.md)',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.readReplica?.isInitialized) await this.readReplica.destroy();
    if (this.ingest !== this.dataSource && this.ingest.isInitialized) await this.ingest.destroy();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.endpoint.embedded?.stop();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: DATABASE_ENDPOINT,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<DatabaseEndpoint> => {
        if (config.DATABASE_URL) return { url: config.DATABASE_URL, poolSize: config.databasePoolSize };
        const embedded = await EmbeddedPostgres.start(config.DATA_DIR, EMBEDDED_POOL + 2, { worker: config.EMBEDDED_DB_WORKER });
        return { url: embedded.url, embedded, poolSize: EMBEDDED_POOL };
      },
    },
  ],
  exports: [DATABASE_ENDPOINT],
})
class DatabaseEndpointModule {}

@Global()
@Module({
  imports: [
    DatabaseEndpointModule,
    TypeOrmModule.forRootAsync({
      inject: [DATABASE_ENDPOINT],
      useFactory: (endpoint: DatabaseEndpoint) => ({
        ...dataSourceOptions(endpoint.url, endpoint.poolSize),
        logger: new TypeOrmToNestLogger(),
        autoLoadEntities: true,
      }),
      // Migrations run before any module can touch the schema.
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrationsLocked(dataSource);
        return dataSource;
      },
    }),
  ],
  providers: [
    {
      // After the primary (injected for the order): its migrations have run, so the replica's schema check sees the newest one.
      provide: READ_REPLICA,
      inject: [AppConfig, DataSource],
      useFactory: async (config: AppConfig): Promise<DataSource | null> => (config.DATABASE_READ_URL ? openReadReplica(config.DATABASE_READ_URL) : null),
    },
    {
      provide: REPORTS_DATA_SOURCE,
      inject: [READ_REPLICA, DataSource],
      useFactory: (replica: DataSource | null, primary: DataSource): DataSource => replica ?? primary,
    },
    {
      provide: INGEST_DATA_SOURCE,
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig, primary: DataSource): Promise<DataSource> | DataSource =>
        ingestConnections(config).ownPool ? openIngestDataSource(primary) : primary,
    },
    DatabaseLifecycle,
    EmbeddedVacuum,
  ],
  exports: [READ_REPLICA, REPORTS_DATA_SOURCE, INGEST_DATA_SOURCE],
})
export class DatabaseModule {}
