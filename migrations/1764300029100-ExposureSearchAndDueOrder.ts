import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outdated-firmware report's ?q= matches a prefix of the location too (serial number and asset
 * tag have their prefix indexes since CreateInventory), and its ?sort=dueAt walks an index in the
 * order it pages (soonest due first, nothing due as infinity) instead of sorting every exposed
 * device for each page.
 */
export class ExposureSearchAndDueOrder1764300029100 implements MigrationInterface {
  name = 'ExposureSearchAndDueOrder1764300029100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX devices_location_prefix ON devices (lower(location) text_pattern_ops)`);
    await q.query(`CREATE INDEX device_exposure_due ON device_exposure ((COALESCE(next_due_at, 'infinity'::timestamptz)), device_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX device_exposure_due`);
    await q.query(`DROP INDEX devices_location_prefix`);
  }
}
