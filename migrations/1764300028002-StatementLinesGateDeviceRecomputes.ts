import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 1764300028000 queues a device's findings recompute only when its model has an active advisory
 * line. A VEX statement (advisory_product_statements, 1764300023000) is a line too: a firmware
 * change into a range a manufacturer has under investigation puts the device on exposure-unknown,
 * so a model named only by statements must be owed the recompute as well.
 */
export class StatementLinesGateDeviceRecomputes1764300028002 implements MigrationInterface {
  name = 'StatementLinesGateDeviceRecomputes1764300028002';

  async up(q: QueryRunner): Promise<void> {
    await this.define(q, true);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.define(q, false);
  }

  private async define(q: QueryRunner, withStatements: boolean): Promise<void> {
    const statements = withStatements
      ? `OR EXISTS (SELECT 1 FROM advisory_product_statements x JOIN advisories a ON a.id = x.advisory_id WHERE x.model_id = n.model_id AND a.status = 'active')`
      : '';
    const hasLine = `(EXISTS (SELECT 1 FROM advisory_affected x JOIN advisories a ON a.id = x.advisory_id WHERE x.model_id = n.model_id AND a.status = 'active') ${statements})`;
    await q.query(`
      CREATE OR REPLACE FUNCTION devices_findings_owed_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed uuid[];
        owed uuid[];
      BEGIN
        SELECT array_agg(n.id) INTO changed
          FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE n.firmware_version IS DISTINCT FROM o.firmware_version OR n.status IS DISTINCT FROM o.status OR n.model_id IS DISTINCT FROM o.model_id;
        IF changed IS NULL THEN RETURN NULL; END IF;
        PERFORM pg_advisory_xact_lock_shared(7316052028);
        SELECT array_agg(n.id) INTO owed
          FROM new_rows n
         WHERE n.id = ANY (changed)
           AND (${hasLine}
                OR EXISTS (SELECT 1 FROM device_exposure e WHERE e.device_id = n.id)
                OR EXISTS (SELECT 1 FROM exposure_unknown u WHERE u.device_id = n.id));
        IF owed IS NOT NULL THEN
          PERFORM findings_owed('device', owed, array_fill('changed'::varchar, ARRAY[cardinality(owed)]));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION devices_findings_owed_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owed uuid[];
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(7316052028);
        SELECT array_agg(n.id) INTO owed FROM new_rows n WHERE ${hasLine};
        IF owed IS NOT NULL THEN
          PERFORM findings_owed('device', owed, array_fill('registered'::varchar, ARRAY[cardinality(owed)]));
        END IF;
        RETURN NULL;
      END $$`);
  }
}
