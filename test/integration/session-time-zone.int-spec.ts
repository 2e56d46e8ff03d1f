import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, dropTestDatabase } from '../support/test-app';
import { DatabaseTier, startDatabaseTier } from './database-tier';

/**
 * Due dates are timestamps plus intervals added by PostgreSQL in the session's time zone, and the
 * same durations added by the service in UTC: the service's sessions must be in UTC even on a
 * server or database whose default observes daylight saving.
 */
describe("the service's database sessions run in UTC", () => {
  it('on PostgreSQL, even when the database defaults to a zone with daylight saving (embedded: the tier is UTC)', async () => {
    const url = await createTestDatabase();
    if (!url) {
      const tier: DatabaseTier = await startDatabaseTier([]);
      try {
        const [row] = await tier.dataSource.query(`SELECT current_setting('TimeZone') AS zone`);
        expect(row.zone).toBe('UTC');
      } finally {
        await tier.close();
      }
      return;
    }
    const name = new URL(url).pathname.slice(1);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${name} SET TimeZone = 'America/New_York'`);
    await admin.end();
    const plain = new Client({ connectionString: url });
    const service = new DataSource(dataSourceOptions(url, 2));
    try {
      await plain.connect();
      const [{ zone: defaultZone }] = (await plain.query(`SELECT current_setting('TimeZone') AS zone`)).rows;
      expect(defaultZone).toBe('America/New_York');
      await service.initialize();
      const [row] = await service.query(
        `SELECT current_setting('TimeZone') AS zone, ('2026-03-07T12:00:00Z'::timestamptz + interval '1 day')::text AS next_day`,
      );
      expect(row.zone).toBe('UTC');
      // Across New York's clock change (8 March 2026) a day is still 24 hours in UTC.
      expect(row.next_day).toBe('2026-03-08 12:00:00+00');
    } finally {
      await plain.end().catch(() => undefined);
      if (service.isInitialized) await service.destroy();
      await dropTestDatabase(url);
    }
  });
});
