import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a CSAF document says of products it does not call affected (VEX), and people's risk
 * acceptances of open findings (docs/vex-and-acceptance.md).
 *
 * advisory_product_statements: a mapped product the document lists as known_not_affected or
 * under_investigation, on the same model and version range terms as advisory_affected, with the
 * document's reasons (flags and impact statements). Its own table rather than a status column on
 * advisory_affected, so that every reader of advisory_affected keeps meaning "affected". Writing
 * it queues the advisory's findings recompute exactly like advisory_affected does.
 */
export class VexAndRiskAcceptance1764300023000 implements MigrationInterface {
  name = 'VexAndRiskAcceptance1764300023000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE exposure_unknown DROP CONSTRAINT exposure_unknown_reason_check`);
    await q.query(
      `ALTER TABLE exposure_unknown ADD CONSTRAINT exposure_unknown_reason_check CHECK (reason IN ('no_firmware', 'not_comparable', 'under_investigation'))`,
    );

    await q.query(`
      CREATE TABLE advisory_product_statements (
        id            bigserial PRIMARY KEY,
        advisory_id   uuid         NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        model_id      uuid         NOT NULL REFERENCES device_models (id) ON DELETE RESTRICT,
        versions      varchar(300) NOT NULL,
        status        varchar(20)  NOT NULL CHECK (status IN ('known_not_affected', 'under_investigation')),
        product_ref   varchar(200) NOT NULL,
        -- [{cve, flags: [label], impacts: [text]}]: why the document says so, as it says it.
        reasons       jsonb        NOT NULL DEFAULT '[]'
      )`);
    await q.query(`CREATE INDEX advisory_product_statements_advisory ON advisory_product_statements (advisory_id)`);
    await q.query(`CREATE INDEX advisory_product_statements_model ON advisory_product_statements (model_id)`);
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      const table = op === 'DELETE' ? 'OLD TABLE' : 'NEW TABLE';
      // advisory_affected_findings_owed() (1764300013000) reads only changed_rows.advisory_id.
      await q.query(`
        CREATE TRIGGER advisory_product_statements_findings_owed_${op.toLowerCase()} AFTER ${op} ON advisory_product_statements
        REFERENCING ${table} AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION advisory_affected_findings_owed()`);
    }

    await q.query(`
      CREATE TABLE finding_acceptances (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        finding_id           bigint        NOT NULL,
        device_id            uuid          NOT NULL,
        reason               varchar(2000) NOT NULL,
        compensating_control varchar(2000) NOT NULL,
        expires_at           timestamptz   NOT NULL,
        accepted_by          varchar(100)  NOT NULL,
        accepted_at          timestamptz   NOT NULL DEFAULT now(),
        revoked_at           timestamptz,
        revoked_by           varchar(100)
      )`);
    await q.query(`CREATE INDEX finding_acceptances_finding ON finding_acceptances (finding_id, accepted_at DESC)`);
    // The sweep looks for open findings whose acceptance has run out: few rows, read every interval.
    await q.query(`CREATE INDEX findings_accepted_until ON findings (accepted_until) WHERE status = 'open' AND accepted_until IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX findings_accepted_until`);
    await q.query(`DROP TABLE finding_acceptances`);
    for (const op of ['insert', 'update', 'delete'])
      await q.query(`DROP TRIGGER advisory_product_statements_findings_owed_${op} ON advisory_product_statements`);
    await q.query(`DROP TABLE advisory_product_statements`);
    await q.query(`DELETE FROM exposure_unknown WHERE reason = 'under_investigation'`);
    await q.query(`ALTER TABLE exposure_unknown DROP CONSTRAINT exposure_unknown_reason_check`);
    await q.query(`ALTER TABLE exposure_unknown ADD CONSTRAINT exposure_unknown_reason_check CHECK (reason IN ('no_firmware', 'not_comparable'))`);
  }
}
