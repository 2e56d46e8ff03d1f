import { addIsoDuration, isIsoDuration } from '../../src/common/iso-duration';
import { DatabaseTier, startDatabaseTier } from './database-tier';

/**
 * The remediation policy's durations are added to timestamps twice: by PostgreSQL as intervals
 * (the stored priorities' due dates) and by addIsoDuration (the work orders' fallback due date).
 * Every duration the grammar accepts must read as an interval and give the same instant.
 */
describe('ISO 8601 durations read by the database as intervals', () => {
  let tier: DatabaseTier;

  beforeAll(async () => {
    tier = await startDatabaseTier([]);
  });
  afterAll(async () => {
    await tier?.close();
  });

  const starts = ['2026-01-31T10:00:00.000Z', '2028-02-29T23:30:00.000Z', '2026-03-29T00:30:00.000Z', '2026-12-31T12:00:00.250Z'];
  const durations = [
    'P2D',
    'P14D',
    'P90D',
    'P1W',
    'P1W2D',
    'PT12H',
    'PT90M',
    'P0D',
    'PT0S',
    'P1M',
    'P2M',
    'P13M',
    'P1Y',
    'P1M1D',
    'P1Y2M3DT4H5M6S',
    'P99999D',
    'P0000002D',
    'PT1.5S',
    'PT0.125S',
    'PT1.005S',
    'PT2.9999S',
    'PT604800S',
    'PT999999.5S',
    'P99999Y99999M99999W99999DT99999H99999M999999.999S',
  ];

  it.each(durations)('%s gives the same instant in the database as in the service, from each start', async (duration) => {
    expect(isIsoDuration(duration)).toBe(true);
    // Epoch milliseconds (the driver's date parser does not read years past 9999), cut like the
    // service's Date: PostgreSQL keeps microseconds.
    const rows: Array<{ due_ms: string }> = await tier.dataSource.query(
      `SELECT floor(extract(epoch FROM s::timestamptz + $2::interval) * 1000)::bigint::text AS due_ms
         FROM unnest($1::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n`,
      [starts, duration],
    );
    const service = starts.map((s) => String(addIsoDuration(new Date(s), duration)!.getTime()));
    expect(rows.map((r) => r.due_ms)).toEqual(service);
  });
});
