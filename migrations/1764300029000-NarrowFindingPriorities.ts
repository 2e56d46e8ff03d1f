import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A finding's priority object is no longer stored with it (docs/prioritisation.md, "How
 * decisions are stored"). Each open finding keeps its decision, when it reached it, its due date
 * and `device_class`, the key of the device inputs it was decided on ('' for a value nobody set:
 * systemExposure|safetyImpact|missionImpact); each advisory's threat side and the feeds' values
 * (KEV, EPSS) move to `advisory_threats`, one row per advisory. The API builds the object from
 * both by the same pure rules. The jsonb made every finding ~3x wider, and deciding every finding
 * rewrote ~350 bytes per row.
 *
 * Existing priorities are carried over from their jsonb, so decisions and due dates stay as they
 * were (an input named in `assumed` was not set: its key is ''). Down: the jsonb comes back empty
 * and open findings lose their decision, which the older service's backfill then makes again
 * (due dates then count from that moment).
 */
export class NarrowFindingPriorities1764300029000 implements MigrationInterface {
  name = 'NarrowFindingPriorities1764300029000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE advisory_threats (
        advisory_id      uuid          PRIMARY KEY,
        -- exploitation|automatable|the threat inputs assumed (comma-separated): the pure rules' resolved threat side.
        threat_key       varchar(48)   NOT NULL,
        in_kev           boolean       NOT NULL,
        known_ransomware boolean       NOT NULL,
        epss             numeric(6, 5),
        epss_percentile  numeric(6, 5)
      )`);
    await q.query(`ALTER TABLE findings ADD COLUMN device_class varchar(48)`);
    const assumed = (input: string, value: string) => `CASE WHEN f.priority -> 'assumed' ? '${input}' THEN '' ELSE f.priority ->> '${value}' END`;
    await q.query(`
      INSERT INTO advisory_threats (advisory_id, threat_key, in_kev, known_ransomware, epss, epss_percentile)
      SELECT DISTINCT ON (f.advisory_id) f.advisory_id,
             (f.priority ->> 'exploitation') || '|' || (f.priority ->> 'automatable') || '|' ||
               concat_ws(',', CASE WHEN f.priority -> 'assumed' ? 'exploitation' THEN 'exploitation' END,
                              CASE WHEN f.priority -> 'assumed' ? 'automatable' THEN 'automatable' END),
             COALESCE((f.priority ->> 'inKev')::boolean, false), COALESCE((f.priority ->> 'knownRansomware')::boolean, false),
             (f.priority ->> 'epss')::numeric, (f.priority ->> 'epssPercentile')::numeric
        FROM findings f
       WHERE f.status = 'open' AND f.priority IS NOT NULL
       ORDER BY f.advisory_id, f.decision_since DESC NULLS LAST`);
    await q.query(`
      UPDATE findings f
         SET device_class = ${assumed('systemExposure', 'systemExposure')} || '|' || ${assumed('safetyImpact', 'safetyImpact')} || '|' || ${assumed('missionImpact', 'missionImpact')}
       WHERE f.status = 'open' AND f.priority IS NOT NULL`);
    // A finding with a decision but no priority object cannot be shown: decided again by the backfill.
    await q.query(`UPDATE findings SET decision = NULL, decision_rank = NULL WHERE status = 'open' AND priority IS NULL AND decision IS NOT NULL`);
    await q.query(`ALTER TABLE findings DROP COLUMN priority`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE findings ADD COLUMN priority jsonb`);
    await q.query(`UPDATE findings SET decision = NULL, decision_rank = NULL, decision_since = NULL, due_at = NULL WHERE status = 'open'`);
    await q.query(`ALTER TABLE findings DROP COLUMN device_class`);
    await q.query(`DROP TABLE advisory_threats`);
  }
}
