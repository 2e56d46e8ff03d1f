import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Retention of the tables that grow with time (docs/scale.md, "Retention").
 *
 * - `audit_checkpoints`: pruning the audit log removes the start of a hash chain, so what the
 *   first kept entry links to is written down first: the id and hash of the last pruned entry.
 *   Verification then starts from the newest checkpoint instead of the genesis hash, and the
 *   prune itself is an entry of the chain naming the same id and hash, so a checkpoint edited
 *   afterwards no longer matches the chain.
 * - `firmware_history_changed_at`: BRIN, so the pruning job finds old rows without an index that
 *   every firmware change would have to write (a BRIN range is summarised, not written per row).
 */
export class RetentionCheckpoints1764300028001 implements MigrationInterface {
  name = 'RetentionCheckpoints1764300028001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id                  bigserial    PRIMARY KEY,
        at                  timestamptz  NOT NULL DEFAULT clock_timestamp(),
        pruned_through_id   bigint       NOT NULL,
        pruned_through_hash char(64)     NOT NULL,
        pruned_entries      bigint       NOT NULL
      )`);
    await q.query(`CREATE INDEX firmware_history_changed_at ON firmware_history USING brin (changed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX firmware_history_changed_at`);
    await q.query(`DROP TABLE audit_checkpoints`);
  }
}
