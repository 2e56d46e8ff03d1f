import { DataSource } from 'typeorm';

/**
 * Tables that heartbeats and firmware changes rewrite row by row. Without vacuum their dead row
 * versions pile up (200,000 in a 200,000-heartbeat run on 10,000 devices, measured on a server
 * with autovacuum off) and every later batch reads through them.
 */
export const CHURNED_TABLES = ['device_presence', 'devices'] as const;

/**
 * What keeps autovacuum from tending the churned tables, in words for an operator; empty when
 * nothing does. Reads settings only: it never changes them (that is the DBA's call).
 */
export async function autovacuumGaps(dataSource: DataSource): Promise<string[]> {
  const [settings]: Array<{ autovacuum: boolean; track_counts: boolean }> = await dataSource.query(
    `SELECT current_setting('autovacuum')::bool AS autovacuum, current_setting('track_counts')::bool AS track_counts`,
  );
  const gaps: string[] = [];
  if (!settings.autovacuum) gaps.push('the server runs with autovacuum = off');
  // Autovacuum decides from these statistics; without them it never starts.
  if (!settings.track_counts) gaps.push('the server runs with track_counts = off');
  // PostgreSQL reads the option's spelling (off, false, 0, ...) itself, as it did when it was set.
  const off: Array<{ relname: string }> = await dataSource.query(
    `SELECT c.relname FROM pg_class c, pg_options_to_table(c.reloptions) o
      WHERE c.relname = ANY($1::text[]) AND c.relkind = 'r' AND c.relnamespace = to_regnamespace(current_schema())
        AND o.option_name = 'autovacuum_enabled' AND NOT o.option_value::bool`,
    [CHURNED_TABLES],
  );
  for (const t of off) gaps.push(`table ${t.relname} has autovacuum_enabled = false`);
  return gaps;
}
