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
    extra: { connectionTimeoutMillis: 10_000 },
    // Not 'error': TypeORM would print failed statements with their parameters, which can hold
    // patient-linked data. Failures surface as exceptions and are logged without parameters.
    logging: ['warn', 'migration'],
    // gen_random_uuid() is built into PostgreSQL 13+; no extension to install.
    installExtensions: false,
  };
}
