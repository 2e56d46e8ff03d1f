import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigError } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { TypeOrmToNestLogger } from './typeorm-logger';

/** The data source the read-only reports query: the read replica when DATABASE_READ_URL is set, else the primary. */
export const REPORTS_DATA_SOURCE = Symbol('REPORTS_DATA_SOURCE');

/** The replica's own data source, or null without DATABASE_READ_URL (health and shutdown need it apart from the primary). */
export const READ_REPLICA = Symbol('READ_REPLICA');

// Reports are few and heavy; a small pool keeps a burst of them from filling the replica's slots.
const READ_POOL = 5;

/** A table the newest schema has: its absence means the URL names something other than a replica of DATABASE_URL. */
const SCHEMA_PROBE = `SELECT to_regclass('device_exposure') IS NOT NULL AS ok`;

/** Where the URL points, without its password: for messages and logs. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Opens the read replica at boot and checks it holds the service's schema. Either failure stops
 * the start as a configuration error naming DATABASE_READ_URL: a typo there would otherwise only
 * show as failing reports, long after the deploy.
 */
export async function openReadReplica(url: string): Promise<DataSource> {
  const where = describeDatabaseUrl(url);
  const dataSource = new DataSource({ ...dataSourceOptions(url, READ_POOL), migrations: [], logging: ['warn'], logger: new TypeOrmToNestLogger() });
  try {
    await dataSource.initialize();
  } catch (e) {
    throw new ConfigError(`DATABASE_READ_URL (${where}): cannot connect: ${(e as Error).message}`);
  }
  const [probe] = (await dataSource.query(SCHEMA_PROBE)) as Array<{ ok: boolean }>;
  if (!probe?.ok) {
    await dataSource.destroy();
    throw new ConfigError(`DATABASE_READ_URL (${where}): no device_exposure table there; it must be a replica of DATABASE_URL's database`);
  }
  new Logger('Database').log({ readReplica: where }, 'reports read from the read replica');
  return dataSource;
}

/** How far the replica's replay is behind, in seconds; null on a server that is not a standby (or has replayed nothing yet). */
export async function replicaLagSeconds(dataSource: DataSource): Promise<number | null> {
  const [row] = (await dataSource.query(
    `SELECT CASE WHEN pg_is_in_recovery() THEN EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END AS lag`,
  )) as Array<{ lag: string | null }>;
  return row?.lag == null ? null : Math.max(0, Number(row.lag));
}
