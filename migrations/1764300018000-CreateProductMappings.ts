import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's mapping of an advisory product the catalog rule does not map ("Sigma Spectrum LVP"
 * from vendor "Baxter") to one device model. Keyed by the vendor and product name as the mapper
 * normalises them (case, spacing and punctuation ignored), so one mapping serves every revision
 * and every advisory naming that product. The names as first written are kept for people.
 */
export class CreateProductMappings1764300018000 implements MigrationInterface {
  name = 'CreateProductMappings1764300018000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE product_mappings (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        vendor_key   varchar(300) NOT NULL CHECK (vendor_key <> ''),
        product_key  varchar(500) NOT NULL CHECK (product_key <> ''),
        vendor       varchar(300) NOT NULL,
        product_name varchar(500) NOT NULL,
        model_id     uuid         NOT NULL REFERENCES device_models (id) ON DELETE CASCADE,
        created_at   timestamptz  NOT NULL DEFAULT now(),
        updated_at   timestamptz  NOT NULL DEFAULT now(),
        CONSTRAINT product_mappings_product UNIQUE (vendor_key, product_key)
      )`);
    await q.query(`CREATE INDEX product_mappings_model ON product_mappings (model_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE product_mappings`);
  }
}
