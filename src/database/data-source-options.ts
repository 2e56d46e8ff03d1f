import { DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** The one definition of how we talk to PostgreSQL, shared by the app and the TypeORM CLI. */
export function dataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    namingStrategy: new SnakeNamingStrategy(),
    migrations,
    migrationsRun: false,
    synchronize: false,
    poolSize,
    // Every session in UTC, whatever the server's or the database's TimeZone: due dates are
    // timestamps plus intervals of days and months, which PostgreSQL adds in the session's time
    // zone, and the service adds the same durations in UTC (src/common/iso-duration.ts). On a
    // server observing daylight saving the two would differ by an hour across a clock change.
    // (Embedded PGlite ignores startup options and always runs in UTC.)
    extra: { connectionTimeoutMillis: 10_000, options: '-c TimeZone=UTC' },
    // Not 'error': TypeORM would print failed statements with their parameters, which can hold
    // patient-linked data. Failures surface as exceptions and are logged without parameters.
    logging: ['warn', 'migration'],
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    installExtensions: false,
  };
}
