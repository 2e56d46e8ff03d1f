import { MigrationInterface, QueryRunner } from 'typeorm';

const TYPES = [
  'firmware_downgrade',
  'firmware_not_released',
  'decommissioned_device_heard',
  'serial_mismatch',
  'unknown_device',
  'address_changed',
  'exposure_opened',
  'work_order_overdue',
];

/**
 * Events made on a schedule rather than on the ingest path: a work order passing its due date
 * (once per order and due date), and the daily digest per role (once per day and role). The
 * unique indexes make each idempotent, whichever replica or retry writes it.
 */
export class OverdueAndDigestEvents1764300025001 implements MigrationInterface {
  name = 'OverdueAndDigestEvents1764300025001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE security_events DROP CONSTRAINT security_events_type_check`);
    await q.query(
      `ALTER TABLE security_events ADD CONSTRAINT security_events_type_check CHECK (type IN (${[...TYPES, 'daily_digest'].map((t) => `'${t}'`).join(', ')}))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX security_events_overdue_once ON security_events ((details ->> 'workOrderId'), (details ->> 'dueAt')) WHERE type = 'work_order_overdue'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX security_events_digest_once ON security_events ((details ->> 'date'), (details ->> 'role')) WHERE type = 'daily_digest'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM security_events WHERE type = 'daily_digest'`);
    await q.query(`DROP INDEX security_events_digest_once`);
    await q.query(`DROP INDEX security_events_overdue_once`);
    await q.query(`ALTER TABLE security_events DROP CONSTRAINT security_events_type_check`);
    await q.query(`ALTER TABLE security_events ADD CONSTRAINT security_events_type_check CHECK (type IN (${TYPES.map((t) => `'${t}'`).join(', ')}))`);
  }
}
