import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inputs of an SSVC deployer decision that belong to devices and advisories, each finding's
 * decision with the inputs it was made from, the hospital's remediation policy, and the per-device
 * summary's new sort keys. Null inputs mean "nobody said": the decision assumes a documented
 * conservative value and lists it in the finding's `assumed`.
 */
export class FindingPriority1764300020001 implements MigrationInterface {
  name = 'FindingPriority1764300020001';

  async up(q: QueryRunner): Promise<void> {
    const safety = `('negligible', 'marginal', 'critical', 'catastrophic')`;
    await q.query(`ALTER TABLE device_models ADD COLUMN safety_impact varchar(12) CHECK (safety_impact IN ${safety})`);
    await q.query(`
      ALTER TABLE devices
        ADD COLUMN safety_impact   varchar(12) CHECK (safety_impact IN ${safety}),
        ADD COLUMN mission_impact  varchar(24) CHECK (mission_impact IN ('degraded', 'mef_support_crippled', 'mef_failure', 'mission_failure')),
        ADD COLUMN system_exposure varchar(10) CHECK (system_exposure IN ('small', 'controlled', 'open'))`);
    // What the advisory's own document says of exploitation (CSAF threats, category exploit_status); null when silent.
    await q.query(`ALTER TABLE advisories ADD COLUMN exploitation varchar(12) CHECK (exploitation IN ('none', 'public_poc', 'active'))`);
    await q.query(`
      ALTER TABLE findings
        ADD COLUMN decision       varchar(12) CHECK (decision IN ('defer', 'scheduled', 'out_of_cycle', 'immediate')),
        -- 0 defer, 1 scheduled, 2 out_of_cycle, 3 immediate; null until first computed.
        ADD COLUMN decision_rank  smallint    CHECK (decision_rank BETWEEN 0 AND 3),
        -- When the finding reached its current decision: due dates count from here.
        ADD COLUMN decision_since timestamptz,
        ADD COLUMN due_at         timestamptz,
        -- The whole priority object as the API shows it (inputs, vector, assumed).
        ADD COLUMN priority       jsonb,
        -- A risk acceptance hides an open finding from the report until this time.
        ADD COLUMN accepted_until timestamptz`);
    await q.query(`
      ALTER TABLE device_exposure
        ADD COLUMN max_decision_rank smallint      NOT NULL DEFAULT -1,
        ADD COLUMN max_epss          numeric(6, 5) NOT NULL DEFAULT -1,
        ADD COLUMN in_kev            boolean       NOT NULL DEFAULT false,
        ADD COLUMN next_due_at       timestamptz`);
    await q.query(`
      CREATE TABLE remediation_policy (
        id                        smallint     PRIMARY KEY CHECK (id = 1),
        -- ISO-8601 duration per decision; null: no due date.
        due                       jsonb        NOT NULL,
        -- Decisions that open a work order by themselves.
        auto_work_order_decisions text[]       NOT NULL DEFAULT '{immediate,out_of_cycle}',
        updated_by                varchar(100),
        updated_at                timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO remediation_policy (id, due) VALUES (1, '{"immediate": "P2D", "out_of_cycle": "P14D", "scheduled": "P90D", "defer": null}'::jsonb)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE remediation_policy`);
    await q.query(`ALTER TABLE device_exposure DROP COLUMN max_decision_rank, DROP COLUMN max_epss, DROP COLUMN in_kev, DROP COLUMN next_due_at`);
    await q.query(
      `ALTER TABLE findings DROP COLUMN decision, DROP COLUMN decision_rank, DROP COLUMN decision_since, DROP COLUMN due_at, DROP COLUMN priority, DROP COLUMN accepted_until`,
    );
    await q.query(`ALTER TABLE advisories DROP COLUMN exploitation`);
    await q.query(`ALTER TABLE devices DROP COLUMN safety_impact, DROP COLUMN mission_impact, DROP COLUMN system_exposure`);
    await q.query(`ALTER TABLE device_models DROP COLUMN safety_impact`);
  }
}
