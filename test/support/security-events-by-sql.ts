import { DataSource } from 'typeorm';

export interface SecurityEventSeed {
  type: string;
  deviceId?: string | null;
  severity: string;
  details?: Record<string, unknown>;
}

/** TypeORM answers rows; a pg Client answers a result holding them. */
type Queryable = Pick<DataSource, 'query'> | { query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }> };

/**
 * Writes security events straight into `security_events` with SQL, as the detector will once it
 * exists: a stand-in so the syslog forwarder can be tested before detection is built. One
 * statement, so the rows share one transaction and come out in id order. Returns their ids.
 */
export async function insertSecurityEventsBySql(db: Queryable, events: SecurityEventSeed[]): Promise<string[]> {
  const answer: unknown = await db.query(
    `INSERT INTO security_events (type, device_id, severity, details)
     SELECT type, device_id, severity, details FROM unnest($1::varchar[], $2::uuid[], $3::varchar[], $4::jsonb[]) WITH ORDINALITY AS e(type, device_id, severity, details, n)
     ORDER BY n
     RETURNING id::text AS id`,
    [events.map((e) => e.type), events.map((e) => e.deviceId ?? null), events.map((e) => e.severity), events.map((e) => JSON.stringify(e.details ?? {}))],
  );
  const rows = (Array.isArray(answer) ? answer : (answer as { rows: unknown[] }).rows) as Array<{ id: string }>;
  return rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
}
