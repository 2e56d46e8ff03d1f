import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report summary groups exposed devices by model (and so manufacturer), department and
 * whether the device is decommissioned. It joined device_exposure (one row per exposed device)
 * with `devices` for those facts: at a million devices a sequential scan of 22,000 pages, about
 * a second, six times per request. device_exposure now carries the three facts itself, so the
 * summary reads only device_exposure (docs/scale.md, "Reads at a million devices").
 *
 * Where they are kept: the findings repository writes them with every device_exposure row it
 * inserts (from `devices`, in the same statement); and a device whose model, department or
 * decommissioned state changes has them updated by the trigger below, in the transaction of the
 * change. A trigger rather than the inventory's update method: every writer of `devices` (the
 * API's PATCH and DELETE, a script, a future import that updates) keeps the copy right.
 * Heartbeats never fire it: `UPDATE OF` columns they do not set.
 */
export class ExposureCarriesDeviceFacts1764300031000 implements MigrationInterface {
  name = 'ExposureCarriesDeviceFacts1764300031000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device_exposure ADD COLUMN model_id uuid, ADD COLUMN department varchar(200), ADD COLUMN decommissioned boolean`);
    await q.query(`
      UPDATE device_exposure e SET model_id = d.model_id, department = d.department, decommissioned = d.status = 'decommissioned'
        FROM devices d WHERE d.id = e.device_id`);
    // A summary without its device (derived rows have no foreign key since 1764300010000) was
    // counted nowhere by the join it replaces; it goes.
    await q.query(`DELETE FROM device_exposure WHERE model_id IS NULL`);
    await q.query(`ALTER TABLE device_exposure ALTER COLUMN model_id SET NOT NULL, ALTER COLUMN decommissioned SET NOT NULL`);
    await q.query(`
      CREATE FUNCTION device_exposure_facts() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The findings lock (src/database/findings-lock.ts), shared: a recompute writing this
        -- device's summary from the facts as they were before this change either commits first
        -- (and this update corrects its row) or starts after this commit (and reads the new facts).
        PERFORM pg_advisory_xact_lock_shared(7316052003);
        UPDATE device_exposure
           SET model_id = NEW.model_id, department = NEW.department, decommissioned = NEW.status = 'decommissioned'
         WHERE device_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER devices_exposure_facts AFTER UPDATE OF model_id, department, status ON devices
        FOR EACH ROW
        WHEN (OLD.model_id IS DISTINCT FROM NEW.model_id OR OLD.department IS DISTINCT FROM NEW.department
              OR (OLD.status = 'decommissioned') IS DISTINCT FROM (NEW.status = 'decommissioned'))
        EXECUTE FUNCTION device_exposure_facts()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER devices_exposure_facts ON devices`);
    await q.query(`DROP FUNCTION device_exposure_facts()`);
    await q.query(`ALTER TABLE device_exposure DROP COLUMN model_id, DROP COLUMN department, DROP COLUMN decommissioned`);
  }
}
