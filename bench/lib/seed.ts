import { Client } from 'pg';
import { Cleanup } from './cleanup';

/** The server the bench creates its databases on (trust auth on the local PostgreSQL). */
export const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database; cleanup drops it (WITH (FORCE): a crashed service may still hold connections). */
export async function createDatabase(cleanup: Cleanup, name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withClient(ADMIN_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await withClient(ADMIN_URL, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
  const forget = cleanup.add(`database ${name}`, drop);
  return {
    url: databaseUrl(name),
    drop: async () => {
      await drop();
      forget();
    },
  };
}

export interface Fleet {
  ids: string[];
  serials: string[];
}

/**
 * `count` devices of one model, firmware 1.0.0, never seen: one set-based statement (the
 * service has already migrated the database).
 */
export async function seedFleet(url: string, count: number): Promise<Fleet> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ id: string; serial_number: string }>(
      `WITH m AS (INSERT INTO manufacturers (name) VALUES ('Bench Medical') RETURNING id),
            dm AS (INSERT INTO device_models (manufacturer_id, model_number, name, category)
                   SELECT id, 'BENCH-PUMP', 'Bench infusion pump', 'facility' FROM m RETURNING id)
       INSERT INTO devices (model_id, serial_number, firmware_version, department, location, created_at)
       SELECT dm.id, 'SN-' || i, '1.0.0', 'ICU', 'Bench ward', now() - make_interval(secs => $1::int - i)
         FROM dm, generate_series(1, $1::int) i
       RETURNING id, serial_number`,
      [count],
    );
    await forgetOwedRecomputes(c);
    await c.query('ANALYZE devices');
    rows.sort((a, b) => Number(a.serial_number.slice(3)) - Number(b.serial_number.slice(3)));
    return { ids: rows.map((r) => r.id), serials: rows.map((r) => r.serial_number) };
  });
}

/**
 * The insert trigger queues a findings recompute for every seeded device. No advisory exists
 * yet, so none is owed, and draining them would run during the measurement: the seed drops them.
 */
async function forgetOwedRecomputes(c: Client): Promise<void> {
  await c.query(`DELETE FROM findings_recompute_queue WHERE kind = 'device'`);
}

export const DEPARTMENTS = [
  'ICU',
  'Cardiology',
  'Radiology',
  'Oncology',
  'Emergency',
  'Neonatology',
  'Pediatrics',
  'Surgery',
  'Anesthesiology',
  'Nephrology',
  'Neurology',
  'Endocrinology',
  'Pulmonology',
  'Orthopedics',
  'Laboratory',
  'Pharmacy',
  'Obstetrics',
  'Gastroenterology',
  'Dermatology',
  'Outpatient',
];

/** What each step of `seedInventory` took, in milliseconds. */
export interface SeedTiming {
  /** Everything up to a committed, fully indexed, constrained inventory (the figure against 60 s). */
  seedMs: number;
  /** The rows alone (devices and presence, by chunks of 250,000), with no index at all to maintain. */
  loadMs: number;
  /** Re-creating the primary keys and secondary indexes of `devices` and `device_presence`. */
  indexMs: number;
  /** Re-adding (and so validating, in one set-based check each) the foreign keys. */
  constraintMs: number;
  vacuumMs: number;
}

/**
 * The indexes and constraints the seed drops for the load: every index of `devices` and
 * `device_presence` (primary keys included), and every foreign key from, or to, either table.
 */
interface LoadShape {
  primaryKeys: Array<{ table: string; name: string; def: string }>;
  indexes: Array<{ name: string; def: string }>;
  foreignKeys: Array<{ table: string; name: string; def: string }>;
}

const LOADED = `('devices'::regclass, 'device_presence'::regclass)`;

async function loadShape(c: Client): Promise<LoadShape> {
  const primaryKeys = await c.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE contype = 'p' AND conrelid IN ${LOADED} ORDER BY 2`,
  );
  const indexes = await c.query<{ name: string; def: string }>(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid IN ${LOADED} AND NOT i.indisprimary AND i.indisvalid AND i.indisready
      ORDER BY 1`,
  );
  const foreignKeys = await c.query<{ table: string; name: string; def: string }>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS def
       FROM pg_constraint
      WHERE contype = 'f' AND convalidated AND (conrelid IN ${LOADED} OR confrelid IN ${LOADED})
      ORDER BY 2`,
  );
  return { primaryKeys: primaryKeys.rows, indexes: indexes.rows, foreignKeys: foreignKeys.rows };
}

/**
 * A hospital-group-sized inventory, set-based: 10 manufacturers x 5 models, 20 departments,
 * ~2,000 locations; 90% active / 7% maintenance / 3% decommissioned; 70% online (seen in the
 * last 20 h), 20% offline (seen 1-30 days ago), 10% never seen; creation spread over 3 years;
 * 80% with an asset tag. Serial numbers are SN-1 ... SN-<count>. Then VACUUM ANALYZE (the
 * steady state autovacuum would reach).
 *
 * Bulk-load shape (docs/scale.md, "Seeding a million devices"): in ONE transaction, every index
 * of `devices` and `device_presence` (primary keys too) and every foreign key from or to them
 * are dropped, the rows inserted by chunks of 250,000 with `session_replication_role = replica`
 * for the transaction (so no trigger fires: the statement writes each device's presence row
 * itself, and the findings trigger would queue nothing for models created in this same
 * transaction, which no advisory can name yet), then every index re-created from its own
 * `pg_get_indexdef` / `pg_get_constraintdef` and every foreign key re-added from its own
 * definition (which validates it over the whole table in one query). Every device is checked to
 * have its presence row before the commit. Nobody else ever sees the tables in between, no
 * trigger is altered, and the shape after the commit is compared with the shape before: a
 * difference fails the bench.
 * Maintaining the two random-uuid primary keys row by row was two thirds of the load's CPU
 * (3.2 s of CPU a 250,000 chunk with them, 1.1 s without); a sorted build of each is a second.
 */
export async function seedInventory(url: string, count: number, progress: (done: number, ms: number) => void): Promise<SeedTiming> {
  return withClient(url, async (c) => {
    const started = Date.now();
    // Session settings only: the bulk statements gain nothing from JIT (2 s of compile a chunk),
    // a lost commit would only lose the seed itself, and the generating CTE (250,000 rows)
    // stays in memory instead of a temporary file.
    await c.query(`SET jit = off; SET synchronous_commit = off; SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'`);
    await c.query('BEGIN');
    const shape = await loadShape(c);
    for (const fk of shape.foreignKeys) await c.query(`ALTER TABLE ${fk.table} DROP CONSTRAINT ${fk.name}`);
    for (const pk of shape.primaryKeys) await c.query(`ALTER TABLE ${pk.table} DROP CONSTRAINT ${pk.name}`);
    for (const ix of shape.indexes) await c.query(`DROP INDEX ${ix.name}`);
    await c.query(`SET LOCAL session_replication_role = replica`);
    await c.query(`INSERT INTO manufacturers (name, aliases) SELECT 'Bench Manufacturer ' || g, ARRAY['BM' || g] FROM generate_series(1, 10) g`);
    await c.query(
      `INSERT INTO device_models (manufacturer_id, model_number, name, category)
       SELECT m.id, 'BM' || m.n || '-' || k, 'Bench model ' || m.n || '-' || k, (ARRAY['wearable', 'implantable', 'facility', 'other'])[1 + (m.n + k) % 4]
         FROM (SELECT id, substring(name FROM '[0-9]+$')::int AS n FROM manufacturers WHERE name LIKE 'Bench Manufacturer %') m,
              generate_series(1, 5) k`,
    );
    await c.query('SELECT setseed(0.42)');
    const chunk = 250_000;
    const spanSeconds = 3 * 365 * 86_400;
    for (let from = 1; from <= count; from += chunk) {
      const to = Math.min(count, from + chunk - 1);
      // Devices and their presence rows in one statement (no trigger fires, above); the id is
      // drawn in `s` so that the presence rows need no join back to the devices.
      await c.query(
        `WITH s AS MATERIALIZED (
           SELECT gen_random_uuid() AS id, i, r_dep, r_status, r_conn, r_seen,
                  CASE WHEN r_conn < 0.70 THEN now() - r_seen * interval '20 hours'
                       WHEN r_conn < 0.90 THEN now() - interval '1 day' - r_seen * interval '29 days' END AS seen
             FROM (SELECT i, random() AS r_dep, random() AS r_status, random() AS r_conn, random() AS r_seen
                     FROM generate_series($1::int, $2::int) i) r),
         d AS (
           INSERT INTO devices (id, model_id, serial_number, asset_tag, firmware_version, location, department, status,
                                decommissioned_at, created_at, updated_at)
           SELECT s.id, models.ids[1 + (s.i % models.n)],
                  'SN-' || s.i,
                  CASE WHEN s.i % 5 <> 0 THEN 'AT-' || s.i END,
                  (1 + s.i % 3) || '.' || (s.i / 7 % 10) || '.' || (s.i / 11 % 20),
                  'Building ' || chr(65 + (s.i / 3) % 6) || ' / Floor ' || (s.i / 17) % 8 || ' / Room ' || (s.i / 101) % 40,
                  ($4::text[])[1 + floor(s.r_dep * 20)::int],
                  CASE WHEN s.r_status < 0.03 THEN 'decommissioned' WHEN s.r_status < 0.10 THEN 'maintenance' ELSE 'active' END,
                  CASE WHEN s.r_status < 0.03 THEN now() END,
                  now() - make_interval(secs => $3::float8) + make_interval(secs => s.i * ($3::float8 / $5::float8)),
                  now()
             FROM s, (SELECT array_agg(id ORDER BY model_number) AS ids, count(*)::int AS n FROM device_models) models)
         INSERT INTO device_presence (device_id, connectivity, last_seen_at, last_heartbeat_sent_at, battery_percent)
         SELECT s.id, CASE WHEN s.r_conn < 0.70 THEN 'online' WHEN s.r_conn < 0.90 THEN 'offline' ELSE 'never_seen' END,
                s.seen, s.seen, CASE WHEN s.seen IS NOT NULL THEN floor(s.r_seen * 100)::smallint END
           FROM s`,
        [from, to, spanSeconds, DEPARTMENTS, count],
      );
      progress(to, Date.now() - started);
    }
    await c.query(`SET LOCAL session_replication_role = origin`);
    const loadMs = Date.now() - started;
    // The primary keys first: they check the uuids' uniqueness, and the foreign keys need them.
    for (const pk of shape.primaryKeys) await c.query(`ALTER TABLE ${pk.table} ADD CONSTRAINT ${pk.name} ${pk.def}`);
    for (const ix of shape.indexes) await c.query(ix.def);
    const indexMs = Date.now() - started - loadMs;
    for (const fk of shape.foreignKeys) await c.query(`ALTER TABLE ${fk.table} ADD CONSTRAINT ${fk.name} ${fk.def}`);
    const constraintMs = Date.now() - started - loadMs - indexMs;
    const { rows: missing } = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM devices d WHERE NOT EXISTS (SELECT 1 FROM device_presence p WHERE p.device_id = d.id)`,
    );
    if (missing[0].n) throw new Error(`${missing[0].n} seeded devices have no presence row`);
    await forgetOwedRecomputes(c);
    await c.query('COMMIT');
    const seedMs = Date.now() - started;
    const after = await loadShape(c);
    if (JSON.stringify(after) !== JSON.stringify(shape))
      throw new Error(`the seed did not restore the tables' indexes and constraints: before ${JSON.stringify(shape)}, after ${JSON.stringify(after)}`);
    const v = Date.now();
    await c.query('VACUUM (ANALYZE) devices');
    await c.query('VACUUM (ANALYZE) device_presence');
    await c.query('ANALYZE manufacturers; ANALYZE device_models');
    return { seedMs, loadMs, indexMs, constraintMs, vacuumMs: Date.now() - v };
  });
}

/**
 * Does for the database what autovacuum would between two phases, when the server runs without
 * it (this machine's PostgreSQL has `autovacuum = off`): otherwise each phase would start on the
 * dead row versions of all the earlier ones, and the tables would never have statistics.
 * Returns how long it took, or null when autovacuum is on and nothing was done.
 */
export async function vacuumIfAutovacuumOff(c: Client): Promise<number | null> {
  const { rows } = await c.query<{ on: boolean }>(`SELECT current_setting('autovacuum')::bool AS on`);
  if (rows[0].on) return null;
  const started = Date.now();
  await c.query('VACUUM (ANALYZE)');
  return Date.now() - started;
}
