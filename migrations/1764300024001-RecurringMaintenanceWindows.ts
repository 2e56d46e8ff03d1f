import { MigrationInterface, QueryRunner } from 'typeorm';

/** A department's standing maintenance window (RFC 5545 RRULE, duration, time zone), from which an order's next slot is proposed. */
export class RecurringMaintenanceWindows1764300024001 implements MigrationInterface {
  name = 'RecurringMaintenanceWindows1764300024001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recurring_maintenance_windows (
        department varchar(200) PRIMARY KEY,
        rrule      varchar(500) NOT NULL,
        duration   varchar(50)  NOT NULL,
        time_zone  varchar(64)  NOT NULL,
        updated_by varchar(100) NOT NULL,
        updated_at timestamptz  NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE recurring_maintenance_windows`);
  }
}
