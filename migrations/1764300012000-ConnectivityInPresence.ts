import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Connectivity joins last seen in `device_presence`. Both are written by heartbeats and by the
 * offline sweeper, and "offline devices, most recently seen first" needs one index over both:
 * with them in two tables that listing walked the last-seen index past every online device
 * (4.6 s at a million devices). The new index is partial (not online), so the heartbeats of
 * online devices never write it; only transitions do. Being in the presence row also means the
 * sweeper and a heartbeat meet on one row lock, and a device coming online no longer rewrites
 * the inventory row.
 */
export class ConnectivityInPresence1764300012000 implements MigrationInterface {
  name = 'ConnectivityInPresence1764300012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE device_presence ADD COLUMN connectivity varchar(20) NOT NULL DEFAULT 'never_seen'
        CONSTRAINT device_presence_connectivity_check CHECK (connectivity IN ('never_seen', 'online', 'offline'))`);
    await q.query(`UPDATE device_presence p SET connectivity = d.connectivity FROM devices d WHERE d.id = p.device_id`);
    await q.query(`
      CREATE INDEX device_presence_not_online ON device_presence (connectivity, (COALESCE(last_seen_at, '-infinity'::timestamptz)), device_id)
       WHERE connectivity <> 'online'`);
    await q.query(`DROP INDEX devices_connectivity`);
    await q.query(`ALTER TABLE devices DROP COLUMN connectivity`);
    await q.query(`ANALYZE device_presence`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE devices ADD COLUMN connectivity varchar(20) NOT NULL DEFAULT 'never_seen'
        CONSTRAINT devices_connectivity_check CHECK (connectivity IN ('never_seen', 'online', 'offline'))`);
    await q.query(`UPDATE devices d SET connectivity = p.connectivity FROM device_presence p WHERE p.device_id = d.id`);
    await q.query(`CREATE INDEX devices_connectivity ON devices (connectivity, created_at, id)`);
    await q.query(`DROP INDEX device_presence_not_online`);
    await q.query(`ALTER TABLE device_presence DROP COLUMN connectivity`);
  }
}
