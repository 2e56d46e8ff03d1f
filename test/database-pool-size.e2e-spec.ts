import './support/quiet-logger';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { INGEST_DATA_SOURCE } from '../src/database/ingest-data-source';
import { sharedTestDatabase, SharedTestDatabase } from './support/shared-database';
import { startTestApp, TestApp } from './support/test-app';

describe('DATABASE_POOL_SIZE', () => {
  let shared: SharedTestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    shared = await sharedTestDatabase();
    t = await startTestApp({ databaseUrl: shared.url, env: { DATABASE_POOL_SIZE: '1' } });
  });
  afterAll(async () => {
    await t?.close();
    await shared?.drop();
  });

  it('bounds the connections the app opens to DATABASE_URL: ten overlapping statements share one', async () => {
    const dataSource = t.app.get(DataSource);
    const pool = (dataSource.driver as PostgresDriver).master as Pool;
    // Without the setting the pool would open one connection per waiting statement, up to 10.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => dataSource.query(`SELECT $1::int AS i, pg_sleep(0.02)::text AS slept`, [i])));
    expect(answers.map((rows: { i: number }[]) => rows[0].i)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(pool.totalCount).toBe(1);
  });

  it('puts heartbeat batches on that one connection too, instead of a pool of their own', () => {
    expect(t.app.get(INGEST_DATA_SOURCE)).toBe(t.app.get(DataSource));
  });
});
