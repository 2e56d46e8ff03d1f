import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The findings recompute a change owes is written down in the change's own transaction, so a
 * crash, a lock timeout or a database outage between the commit and the recompute can delay
 * findings but never leave them wrong (docs/decisions.md, "Findings that survive faults").
 *
 * Statement triggers write the queue, so every writer is covered, an operator's psql edit too,
 * and nothing has to remember to: a device inserted, or updated in firmware, status or model; an
 * advisory's status, score or severity changed; its affected lines inserted, updated or deleted.
 * One row per target: a second change before the drain only bumps `version`, and a drain deletes
 * a row only at the version it read, so a change that lands during a drain is drained again.
 *
 * `due_at` starts a grace period after the change: the request or heartbeat batch that made the
 * change drains its own rows at once (so answers still show the new findings), and the
 * background worker takes only rows that nobody drained in time (a crash, a failure).
 */
export class FindingsRecomputeQueue1764300013000 implements MigrationInterface {
  name = 'FindingsRecomputeQueue1764300013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE findings_recompute_queue_version`);
    await q.query(`
      CREATE TABLE findings_recompute_queue (
        kind        varchar(10)  NOT NULL CHECK (kind IN ('device', 'advisory')),
        target_id   uuid         NOT NULL,
        -- For an advisory: how the findings it closes are resolved.
        reason      varchar(30)  NOT NULL,
        version     bigint       NOT NULL DEFAULT nextval('findings_recompute_queue_version'),
        enqueued_at timestamptz  NOT NULL DEFAULT now(),
        due_at      timestamptz  NOT NULL,
        attempts    integer      NOT NULL DEFAULT 0,
        last_error  varchar(500),
        PRIMARY KEY (kind, target_id)
      )`);
    await q.query(`CREATE INDEX findings_recompute_queue_due ON findings_recompute_queue (due_at)`);
    // Rows live for milliseconds when all is well (a firmware change, then its drain): vacuum by
    // row count, not by share of a table that is nearly always empty.
    await q.query(
      `ALTER TABLE findings_recompute_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000)`,
    );

    // Shared by the triggers: sorted, so two transactions enqueueing overlapping ids lock the
    // rows in the same order. A target already queued keeps its place (and the earlier due time).
    await q.query(`
      CREATE FUNCTION findings_owed(p_kind varchar, p_ids uuid[], p_reasons varchar[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO findings_recompute_queue (kind, target_id, reason, due_at)
        SELECT p_kind, t.id, t.reason, now() + interval '10 seconds'
          FROM (SELECT DISTINCT ON (id) id, reason FROM unnest(p_ids, p_reasons) AS u(id, reason) ORDER BY id) t
         ORDER BY t.id
        ON CONFLICT (kind, target_id) DO UPDATE SET
          version = nextval('findings_recompute_queue_version'),
          reason = EXCLUDED.reason,
          due_at = LEAST(findings_recompute_queue.due_at, EXCLUDED.due_at)
      $$`);

    await q.query(`
      CREATE FUNCTION devices_findings_owed_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM findings_owed('device', array_agg(n.id), array_agg('registered'::varchar)) FROM new_rows n HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER devices_findings_owed_insert AFTER INSERT ON devices
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION devices_findings_owed_on_insert()`);

    // Transition tables cannot be combined with a column list (UPDATE OF ...), so the trigger
    // fires for every UPDATE of devices and keeps only the rows where what findings read changed.
    await q.query(`
      CREATE FUNCTION devices_findings_owed_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM findings_owed('device', array_agg(n.id), array_agg('changed'::varchar))
           FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.firmware_version IS DISTINCT FROM o.firmware_version OR n.status IS DISTINCT FROM o.status OR n.model_id IS DISTINCT FROM o.model_id
         HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER devices_findings_owed_update AFTER UPDATE ON devices
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION devices_findings_owed_on_update()`);

    await q.query(`
      CREATE FUNCTION advisories_findings_owed_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM findings_owed('advisory', array_agg(n.id),
                              array_agg(CASE WHEN n.status = 'withdrawn' THEN 'advisory_withdrawn' ELSE 'advisory_revised' END::varchar))
           FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.status IS DISTINCT FROM o.status OR n.cvss_score IS DISTINCT FROM o.cvss_score OR n.severity IS DISTINCT FROM o.severity
         HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER advisories_findings_owed_update AFTER UPDATE ON advisories
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION advisories_findings_owed_on_update()`);

    await q.query(`
      CREATE FUNCTION advisory_affected_findings_owed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM findings_owed('advisory', array_agg(c.advisory_id), array_agg('advisory_revised'::varchar))
           FROM changed_rows c HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      const table = op === 'DELETE' ? 'OLD TABLE' : 'NEW TABLE';
      await q.query(`
        CREATE TRIGGER advisory_affected_findings_owed_${op.toLowerCase()} AFTER ${op} ON advisory_affected
        REFERENCING ${table} AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION advisory_affected_findings_owed()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER advisory_affected_findings_owed_${op} ON advisory_affected`);
    await q.query(`DROP FUNCTION advisory_affected_findings_owed()`);
    await q.query(`DROP TRIGGER advisories_findings_owed_update ON advisories`);
    await q.query(`DROP FUNCTION advisories_findings_owed_on_update()`);
    await q.query(`DROP TRIGGER devices_findings_owed_update ON devices`);
    await q.query(`DROP FUNCTION devices_findings_owed_on_update()`);
    await q.query(`DROP TRIGGER devices_findings_owed_insert ON devices`);
    await q.query(`DROP FUNCTION devices_findings_owed_on_insert()`);
    await q.query(`DROP FUNCTION findings_owed(varchar, uuid[], varchar[])`);
    await q.query(`DROP TABLE findings_recompute_queue`);
    await q.query(`DROP SEQUENCE findings_recompute_queue_version`);
  }
}
