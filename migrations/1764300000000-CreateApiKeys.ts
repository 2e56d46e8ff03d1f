import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys for machines and people's tools. Only a SHA-256 of each secret is stored. */
export class CreateApiKeys1764300000000 implements MigrationInterface {
  name = 'CreateApiKeys1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name            varchar(100) NOT NULL,
        role            varchar(20)  NOT NULL CHECK (role IN ('admin', 'biomed', 'it', 'manufacturer')),
        manufacturer_id uuid,
        key_hash        char(64)     NOT NULL UNIQUE,
        key_prefix      varchar(16)  NOT NULL,
        created_at      timestamptz  NOT NULL DEFAULT now(),
        created_by      uuid,
        revoked_at      timestamptz,
        last_used_at    timestamptz,
        CONSTRAINT api_keys_manufacturer_role CHECK ((role = 'manufacturer') = (manufacturer_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX api_keys_active_role ON api_keys (role) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
