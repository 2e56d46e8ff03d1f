import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `findings` and `device_exposure` lose their foreign keys. Both are derived from devices and
 * advisories by the findings engine, which writes them only under its lock, from rows it read
 * in the same transaction; devices and advisories are never deleted (decommissioned, withdrawn),
 * and the report joins devices, so an orphan could not show.
 *
 * Why: PostgreSQL checks a foreign key with one trigger call per row. A new advisory on a fleet
 * of 50,000 devices inserts 50,000 findings and 50,000 summaries: measured on PostgreSQL 15 here,
 * the insert of 50,000 findings takes 690 ms with the two keys and 240 ms without, and that
 * advisory must show its findings within 2 s (`npm run bench -- --only findings`).
 */
export class DerivedFindingsWithoutForeignKeys1764300010000 implements MigrationInterface {
  name = 'DerivedFindingsWithoutForeignKeys1764300010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE findings DROP CONSTRAINT findings_device_id_fkey, DROP CONSTRAINT findings_advisory_id_fkey`);
    await q.query(`ALTER TABLE device_exposure DROP CONSTRAINT device_exposure_device_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE findings ADD CONSTRAINT findings_device_id_fkey FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE findings ADD CONSTRAINT findings_advisory_id_fkey FOREIGN KEY (advisory_id) REFERENCES advisories (id) ON DELETE CASCADE`);
    await q.query(
      `ALTER TABLE device_exposure ADD CONSTRAINT device_exposure_device_id_fkey FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE`,
    );
  }
}
