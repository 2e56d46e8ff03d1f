import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The report summary's counts, kept as they change instead of counted per request. At a million
 * devices device_exposure holds about 90,000 rows; aggregating them took 40-140 ms a request
 * (one statement, no read of `devices`: 1764300031000), too much for 20 dashboards at once on
 * two cores. exposure_summary_counts holds one row per (model, department, severity, decision)
 * of the exposed devices that are not decommissioned (a few hundred rows at that scale; a row
 * whose count falls to 0 stays, at most one per combination ever seen, and readers skip it), and
 * statement-level triggers on device_exposure add each statement's difference (its transition
 * tables, aggregated: one upsert per statement, not per row). Every writer of device_exposure
 * keeps the counts right, the findings engine, the priority recomputes and the device-facts
 * trigger alike; the summary reads the counts in one statement (docs/scale.md).
 */
export class ExposureSummaryCounts1764300031001 implements MigrationInterface {
  name = 'ExposureSummaryCounts1764300031001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exposure_summary_counts (
        model_id          uuid         NOT NULL,
        department        varchar(200),
        max_severity_rank smallint     NOT NULL,
        max_decision_rank smallint     NOT NULL,
        devices           integer      NOT NULL,
        open_findings     bigint       NOT NULL,
        kev_devices       integer      NOT NULL,
        CONSTRAINT exposure_summary_counts_key UNIQUE NULLS NOT DISTINCT (model_id, department, max_severity_rank, max_decision_rank)
      )`);
    // Rows that count (decommissioned devices leave the summary), signed: +1 for new rows, -1 for old.
    const delta = (table: string, sign: string) =>
      `SELECT model_id, department, max_severity_rank, max_decision_rank, ${sign} AS devices, ${sign} * open_findings AS open_findings,
              CASE WHEN in_kev THEN ${sign} ELSE 0 END AS kev_devices
         FROM ${table} WHERE NOT decommissioned`;
    const apply = (rows: string) => `
        INSERT INTO exposure_summary_counts AS c (model_id, department, max_severity_rank, max_decision_rank, devices, open_findings, kev_devices)
        SELECT model_id, department, max_severity_rank, max_decision_rank, sum(devices), sum(open_findings), sum(kev_devices)
          FROM (${rows}) d
         GROUP BY model_id, department, max_severity_rank, max_decision_rank
        HAVING sum(devices) <> 0 OR sum(open_findings) <> 0 OR sum(kev_devices) <> 0
         -- One order for every writer: two transactions never take the same rows' locks crosswise.
         ORDER BY model_id, department, max_severity_rank, max_decision_rank
        ON CONFLICT ON CONSTRAINT exposure_summary_counts_key DO UPDATE SET
          devices = c.devices + EXCLUDED.devices, open_findings = c.open_findings + EXCLUDED.open_findings, kev_devices = c.kev_devices + EXCLUDED.kev_devices;`;
    await q.query(`
      CREATE FUNCTION exposure_summary_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(delta('new_rows', '1'))} RETURN NULL; END $$`);
    await q.query(`
      CREATE FUNCTION exposure_summary_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(`${delta('new_rows', '1')} UNION ALL ${delta('old_rows', '-1')}`)} RETURN NULL; END $$`);
    await q.query(`
      CREATE FUNCTION exposure_summary_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${apply(delta('old_rows', '-1'))} RETURN NULL; END $$`);
    await q.query(`CREATE TRIGGER device_exposure_counts_insert AFTER INSERT ON device_exposure
                     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION exposure_summary_counts_insert()`);
    await q.query(`CREATE TRIGGER device_exposure_counts_update AFTER UPDATE ON device_exposure
                     REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION exposure_summary_counts_update()`);
    await q.query(`CREATE TRIGGER device_exposure_counts_delete AFTER DELETE ON device_exposure
                     REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION exposure_summary_counts_delete()`);
    await q.query(`
      INSERT INTO exposure_summary_counts (model_id, department, max_severity_rank, max_decision_rank, devices, open_findings, kev_devices)
      SELECT model_id, department, max_severity_rank, max_decision_rank, count(*), sum(open_findings), count(*) FILTER (WHERE in_kev)
        FROM device_exposure WHERE NOT decommissioned
       GROUP BY model_id, department, max_severity_rank, max_decision_rank`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER device_exposure_counts_${op} ON device_exposure`);
      await q.query(`DROP FUNCTION exposure_summary_counts_${op}()`);
    }
    await q.query(`DROP TABLE exposure_summary_counts`);
  }
}
