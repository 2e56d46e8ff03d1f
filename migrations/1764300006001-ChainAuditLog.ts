import { MigrationInterface, QueryRunner } from 'typeorm';

const GENESIS = '0'.repeat(64);

// A frozen copy of the entry hash in src/audit/audit-chain.ts at the time of this migration:
// a migration must keep meaning what it meant when it ran, whatever the app does later.
const ENTRY_HASH = (prevHash: string) => `encode(sha256(convert_to(jsonb_build_array(
    a.id::text,
    to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    a.actor_kind, a.actor_id, a.actor_name, a.action, a.entity_type, a.entity_id, a.changes,
    ${prevHash}::text
  )::text, 'UTF8')), 'hex')`;

/**
 * Makes the audit log tamper-evident: every entry carries the hash of the one before it and its
 * own hash over its content. Entries written before this migration are chained here, oldest
 * first; the unique index on prev_hash forbids a fork (two entries claiming the same parent).
 */
export class ChainAuditLog1764300006001 implements MigrationInterface {
  name = 'ChainAuditLog1764300006001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN prev_hash char(64), ADD COLUMN hash char(64)`);
    let prev = GENESIS;
    let after = '0';
    for (;;) {
      const ids: Array<{ id: string }> = await q.query(`SELECT id::text AS id FROM audit_log WHERE id > $1 ORDER BY audit_log.id LIMIT 1000`, [after]);
      if (ids.length === 0) break;
      // One row at a time: each hash covers the one before. The UPDATE is wrapped in a SELECT
      // because TypeORM's query() answers a bare UPDATE with [rows, count], not the rows.
      for (const { id } of ids) {
        const [row]: Array<{ hash: string }> = await q.query(
          `WITH chained AS (UPDATE audit_log a SET prev_hash = $1::text, hash = ${ENTRY_HASH('$1')} WHERE a.id = $2 RETURNING a.hash)
           SELECT hash FROM chained`,
          [prev, id],
        );
        prev = row.hash;
        after = id;
      }
    }
    await q.query(`ALTER TABLE audit_log ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX audit_log_prev_hash ON audit_log (prev_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_prev_hash`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN hash, DROP COLUMN prev_hash`);
  }
}
