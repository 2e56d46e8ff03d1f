import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The asset-tag prefix index becomes a whole-table index. PostgreSQL keeps statistics on an
 * index expression only for the table an index covers whole; with the partial index the planner
 * guessed 0.5 % of a million devices for `lower(asset_tag) LIKE 'sn-12345%'` and walked the
 * keyset index instead (568 ms at 1M devices in `npm run bench -- --only list`). With these
 * statistics it estimates one row and uses the two prefix indexes (0.1 ms). A NULL asset tag
 * costs one small index entry.
 *
 * Builds inside the migration's transaction: at a million devices about 2 s, during which
 * writes to devices wait. Acceptable at boot of a new version; no CONCURRENTLY in a transaction.
 */
export class AssetTagPrefixIndexWhole1764300009000 implements MigrationInterface {
  name = 'AssetTagPrefixIndexWhole1764300009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX devices_asset_tag_prefix`);
    await q.query(`CREATE INDEX devices_asset_tag_prefix ON devices (lower(asset_tag) text_pattern_ops)`);
    await q.query(`ANALYZE devices`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX devices_asset_tag_prefix`);
    await q.query(`CREATE INDEX devices_asset_tag_prefix ON devices (lower(asset_tag) text_pattern_ops) WHERE asset_tag IS NOT NULL`);
  }
}
