import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Decisions are kept per cell, an advisory and a device class (docs/prioritisation.md, "How
 * decisions are stored"), instead of per finding: a finding's decision depends only on its
 * advisory's threat side and its device's inputs, so deciding every finding again wrote one row
 * per finding (~500,000 at 100k devices) where one per cell does. A finding keeps its
 * `device_class`, when it entered that cell (`class_since`) and, when it entered with the
 * decision it had before, since when it had held it (`carried_since`); its decision, rank, the
 * time it reached it and its due date are read through the cell (DECISION_SINCE_SQL).
 *
 * Up carries every stored decision over exactly: each cell takes its findings' decision, its
 * `since` is the earliest of their decision times, and each finding's decision time becomes its
 * `class_since`, so the derived time (the cell did not change after it) is the stored one; the
 * due interval is the policy's for the decision, from which the stored due dates were counted.
 * An open finding without a decision stays without one (no class): the backfill decides it. A
 * cell whose findings disagree (a recompute that failed half-way cannot commit, so only a
 * hand-edited database has them) takes the most recent finding's decision.
 * Down puts the columns back, filled from the cells the same way they are read.
 */
export class DecisionCells1764300030000 implements MigrationInterface {
  name = 'DecisionCells1764300030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE decision_cells (
        advisory_id   uuid         NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        -- systemExposure|safetyImpact|missionImpact of the device ('' for a value nobody set): stored-priority.ts deviceClassKey.
        device_class  varchar(48)  NOT NULL,
        decision      varchar(12)  NOT NULL CHECK (decision IN ('defer', 'scheduled', 'out_of_cycle', 'immediate')),
        decision_rank smallint     NOT NULL CHECK (decision_rank BETWEEN 0 AND 3),
        -- When this cell's decision last changed.
        since         timestamptz  NOT NULL,
        -- The policy's duration for the decision; null: no due date.
        due_interval  interval,
        PRIMARY KEY (advisory_id, device_class)
      )`);
    await q.query(`ALTER TABLE findings ADD COLUMN class_since timestamptz, ADD COLUMN carried_since timestamptz`);
    await q.query(`
      INSERT INTO decision_cells (advisory_id, device_class, decision, decision_rank, since, due_interval)
      SELECT DISTINCT ON (f.advisory_id, f.device_class) f.advisory_id, f.device_class, f.decision, f.decision_rank,
             min(f.decision_since) OVER (PARTITION BY f.advisory_id, f.device_class),
             ((SELECT due FROM remediation_policy WHERE id = 1) ->> f.decision)::interval
        FROM findings f JOIN advisories a ON a.id = f.advisory_id
       WHERE f.status = 'open' AND f.decision IS NOT NULL AND f.device_class IS NOT NULL AND f.decision_since IS NOT NULL
       ORDER BY f.advisory_id, f.device_class, f.decision_since DESC`);
    await q.query(`
      UPDATE findings SET class_since = decision_since
       WHERE status = 'open' AND decision IS NOT NULL AND device_class IS NOT NULL AND decision_since IS NOT NULL`);
    // Undecided (or resolved: no priority is shown for those) findings have no cell: the backfill classes open ones.
    await q.query(`UPDATE findings SET device_class = NULL WHERE device_class IS NOT NULL AND class_since IS NULL`);
    await q.query(`ALTER TABLE findings DROP COLUMN decision, DROP COLUMN decision_rank, DROP COLUMN decision_since, DROP COLUMN due_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE findings
        ADD COLUMN decision       varchar(12) CHECK (decision IN ('defer', 'scheduled', 'out_of_cycle', 'immediate')),
        ADD COLUMN decision_rank  smallint    CHECK (decision_rank BETWEEN 0 AND 3),
        ADD COLUMN decision_since timestamptz,
        ADD COLUMN due_at         timestamptz`);
    await q.query(`
      UPDATE findings f
         SET decision = dc.decision, decision_rank = dc.decision_rank,
             decision_since = CASE WHEN dc.since <= f.class_since THEN COALESCE(f.carried_since, f.class_since) ELSE dc.since END,
             due_at = CASE WHEN dc.since <= f.class_since THEN COALESCE(f.carried_since, f.class_since) ELSE dc.since END + dc.due_interval
        FROM decision_cells dc
       WHERE dc.advisory_id = f.advisory_id AND dc.device_class = f.device_class AND f.status = 'open'`);
    await q.query(`ALTER TABLE findings DROP COLUMN class_since, DROP COLUMN carried_since`);
    await q.query(`DROP TABLE decision_cells`);
  }
}
