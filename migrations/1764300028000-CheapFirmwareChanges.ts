import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The firmware-change (churn) path made cheap, findings kept exact (docs/scale.md, "Firmware
 * changes"). Measured with `npm run bench -- --only churn` (PostgreSQL CPU and WAL per change).
 *
 * 1. A device change (or a new device) queues a findings recompute only when one can change something: its model
 *    has an active advisory line, or it has an open finding or an undecided exposure. A device of
 *    a model no advisory names recomputes to "nothing", so queueing it (a queue row written, read
 *    and deleted, under the findings lock) was pure cost, and on most fleets most of the cost.
 *    The check reads committed advisory lines, so it must not miss one being written: every
 *    statement that queues an advisory recompute takes FIRMWARE_GATE exclusively, and the device
 *    trigger takes it shared before it reads the lines. An advisory change thus waits for device
 *    changes in flight to commit (its recompute, after its own commit, reads their firmware), and
 *    a device change waits for an advisory change in flight (and then sees its lines). Device
 *    changes do not wait for each other (shared), and both sides write their data before their
 *    audit entry, so the gate is always taken before the audit chain's lock: no lock cycle.
 * 2. `devices_firmware` goes: it was the one index whose key a firmware change touches, so every
 *    change wrote all twelve indexes of `devices`; without it the update is HOT (heap only) once
 *    a page has room, which fillfactor 90 leaves. `?firmwareVersion=` alone then walks the
 *    creation-order index (measured at a million devices in `--only million`).
 * 3. `firmware_history` loses its foreign key, as findings did (1764300010000): one trigger call
 *    per history row, for a device that the same transaction has just locked and updated;
 *    devices are never deleted (decommissioned), so the cascade never ran.
 */
export class CheapFirmwareChanges1764300028000 implements MigrationInterface {
  name = 'CheapFirmwareChanges1764300028000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX devices_firmware`);
    await q.query(`ALTER TABLE devices SET (fillfactor = 90)`);
    await q.query(`ALTER TABLE firmware_history DROP CONSTRAINT firmware_history_device_id_fkey`);

    // Advisory recomputes: the gate, exclusive, before the queue row (7_316_052_028: FIRMWARE_GATE).
    await q.query(`
      CREATE OR REPLACE FUNCTION findings_owed(p_kind varchar, p_ids uuid[], p_reasons varchar[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF p_kind = 'advisory' THEN PERFORM pg_advisory_xact_lock(7316052028); END IF;
        INSERT INTO findings_recompute_queue (kind, target_id, reason, due_at)
        SELECT p_kind, t.id, t.reason, now() + interval '10 seconds'
          FROM (SELECT DISTINCT ON (id) id, reason FROM unnest(p_ids, p_reasons) AS u(id, reason) ORDER BY id) t
         ORDER BY t.id
        ON CONFLICT (kind, target_id) DO UPDATE SET
          version = nextval('findings_recompute_queue_version'),
          reason = EXCLUDED.reason,
          due_at = LEAST(findings_recompute_queue.due_at, EXCLUDED.due_at);
      END $$`);

    await q.query(`
      CREATE OR REPLACE FUNCTION devices_findings_owed_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed uuid[];
        owed uuid[];
      BEGIN
        SELECT array_agg(n.id) INTO changed
          FROM new_rows n JOIN old_rows o ON o.id = n.id
         WHERE n.firmware_version IS DISTINCT FROM o.firmware_version OR n.status IS DISTINCT FROM o.status OR n.model_id IS DISTINCT FROM o.model_id;
        IF changed IS NULL THEN RETURN NULL; END IF;
        -- Shared: device changes pass each other; an advisory change in flight is waited for, and
        -- the statement below (a new snapshot) then sees its lines.
        PERFORM pg_advisory_xact_lock_shared(7316052028);
        SELECT array_agg(n.id) INTO owed
          FROM new_rows n
         WHERE n.id = ANY (changed)
           AND (EXISTS (SELECT 1 FROM advisory_affected x JOIN advisories a ON a.id = x.advisory_id WHERE x.model_id = n.model_id AND a.status = 'active')
                -- What it had before (another model, a line since withdrawn) may have to close. The
                -- summary, not findings: it says the same (a row while a finding is open), and a
                -- recompute stuck on findings must not stall the heartbeat batch behind it.
                OR EXISTS (SELECT 1 FROM device_exposure e WHERE e.device_id = n.id)
                OR EXISTS (SELECT 1 FROM exposure_unknown u WHERE u.device_id = n.id));
        IF owed IS NOT NULL THEN
          PERFORM findings_owed('device', owed, array_fill('changed'::varchar, ARRAY[cardinality(owed)]));
        END IF;
        RETURN NULL;
      END $$`);

    // A new device has no finding yet: it is owed a recompute only if its model has an active
    // line (a bulk import or seed of devices no advisory names writes no queue rows).
    await q.query(`
      CREATE OR REPLACE FUNCTION devices_findings_owed_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        owed uuid[];
      BEGIN
        PERFORM pg_advisory_xact_lock_shared(7316052028);
        SELECT array_agg(n.id) INTO owed
          FROM new_rows n
         WHERE EXISTS (SELECT 1 FROM advisory_affected x JOIN advisories a ON a.id = x.advisory_id WHERE x.model_id = n.model_id AND a.status = 'active');
        IF owed IS NOT NULL THEN
          PERFORM findings_owed('device', owed, array_fill('registered'::varchar, ARRAY[cardinality(owed)]));
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION devices_findings_owed_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM findings_owed('device', array_agg(n.id), array_agg('registered'::varchar)) FROM new_rows n HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION devices_findings_owed_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM findings_owed('device', array_agg(n.id), array_agg('changed'::varchar))
           FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.firmware_version IS DISTINCT FROM o.firmware_version OR n.status IS DISTINCT FROM o.status OR n.model_id IS DISTINCT FROM o.model_id
         HAVING count(*) > 0;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION findings_owed(p_kind varchar, p_ids uuid[], p_reasons varchar[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO findings_recompute_queue (kind, target_id, reason, due_at)
        SELECT p_kind, t.id, t.reason, now() + interval '10 seconds'
          FROM (SELECT DISTINCT ON (id) id, reason FROM unnest(p_ids, p_reasons) AS u(id, reason) ORDER BY id) t
         ORDER BY t.id
        ON CONFLICT (kind, target_id) DO UPDATE SET
          version = nextval('findings_recompute_queue_version'),
          reason = EXCLUDED.reason,
          due_at = LEAST(findings_recompute_queue.due_at, EXCLUDED.due_at)
      $$`);
    await q.query(
      `ALTER TABLE firmware_history ADD CONSTRAINT firmware_history_device_id_fkey FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE`,
    );
    await q.query(`ALTER TABLE devices RESET (fillfactor)`);
    await q.query(`CREATE INDEX devices_firmware ON devices (firmware_version)`);
  }
}
