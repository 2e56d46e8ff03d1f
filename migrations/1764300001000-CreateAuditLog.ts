import { MigrationInterface, QueryRunner } from 'typeorm';

/** Append-only record of every change, written in the same transaction as the change. */
export class CreateAuditLog1764300001000 implements MigrationInterface {
  name = 'CreateAuditLog1764300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id          bigserial PRIMARY KEY,
        at          timestamptz  NOT NULL DEFAULT clock_timestamp(),
        actor_kind  varchar(20)  NOT NULL,
        actor_id    varchar(100),
        actor_name  varchar(200) NOT NULL,
        action      varchar(50)  NOT NULL,
        entity_type varchar(50)  NOT NULL,
        entity_id   varchar(100),
        changes     jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_actor ON audit_log (actor_id, id DESC)`);
    await q.query(`CREATE INDEX audit_log_at ON audit_log (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
  }
}
