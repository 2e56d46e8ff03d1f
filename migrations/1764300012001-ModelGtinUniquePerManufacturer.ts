import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A device model's GTIN is unique per manufacturer instead of across the catalog. The global
 * index answered a manufacturer's model write with a 409 whenever another vendor's model had that
 * GTIN: a yes/no oracle on the hospital's catalog for anyone holding a manufacturer key. A GTIN
 * carries its GS1 company prefix, so two manufacturers should never share one; a clash across
 * manufacturers is the hospital's data-quality problem, not something to reveal to either.
 */
export class ModelGtinUniquePerManufacturer1764300012001 implements MigrationInterface {
  name = 'ModelGtinUniquePerManufacturer1764300012001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX device_models_gtin`);
    await q.query(`CREATE UNIQUE INDEX device_models_gtin ON device_models (manufacturer_id, gtin) WHERE gtin IS NOT NULL`);
  }

  /** Fails if two manufacturers now share a GTIN: resolve that first. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX device_models_gtin`);
    await q.query(`CREATE UNIQUE INDEX device_models_gtin ON device_models (gtin) WHERE gtin IS NOT NULL`);
  }
}
