import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the syslog forwarder stands in each table it delivers (docs/siem.md).
 *
 * The audit log is appended under a lock held to commit, so its ids commit in order and "the last
 * id delivered" is a safe place to keep. Security events are not: two transactions can take ids
 * 7 and 8 and commit 8 first, and a reader that moved past 8 would never see 7. Each event
 * therefore records the id of the transaction that wrote it, and the forwarder reads in
 * (transaction, id) order, only rows of transactions older than every one still running in the
 * database: that set never grows behind the reader, and a rolled-back id leaves a gap nobody
 * waits for (src/syslog/syslog.repository.ts).
 */
export class CreateSyslogCursors1764300026000 implements MigrationInterface {
  name = 'CreateSyslogCursors1764300026000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE security_events ADD COLUMN written_by_xact xid8 NOT NULL DEFAULT pg_current_xact_id()`);
    await q.query(`CREATE INDEX security_events_delivery_order ON security_events (written_by_xact, id)`);
    await q.query(`
      CREATE TABLE syslog_cursors (
        channel      varchar(40) PRIMARY KEY CHECK (channel IN ('security_events', 'audit_log')),
        -- security_events only: the transaction of the last delivered row (rows are read in (xact, id) order).
        last_xact    xid8,
        last_id      bigint      NOT NULL,
        delivered_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE syslog_cursors`);
    await q.query(`DROP INDEX security_events_delivery_order`);
    await q.query(`ALTER TABLE security_events DROP COLUMN written_by_xact`);
  }
}
