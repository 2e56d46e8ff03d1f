import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What loading the threat-intelligence feeds needs beside the contract tables of 1764300020000:
 * - epss_staging: a day of EPSS scores (~300,000 rows) arrives as a stream and is written in
 *   batches here, under its load's id, so that epss_scores is replaced in one short transaction
 *   at the end and a reader never sees half a day. UNLOGGED: a crash loses only loads in flight,
 *   which were never committed anyway.
 * - threat_intel_pulls: the last attempt to pull each configured feed (KEV_URL, EPSS_URL), with
 *   its error, so that GET /threat-intel shows a failing mirror instead of only the logs.
 */
export class ThreatIntelLoading1764300022000 implements MigrationInterface {
  name = 'ThreatIntelLoading1764300022000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE epss_staging (
        load_id    uuid          NOT NULL,
        line       integer       NOT NULL,
        cve        varchar(30)   NOT NULL,
        epss       numeric(6, 5) NOT NULL,
        percentile numeric(6, 5) NOT NULL,
        staged_at  timestamptz   NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE threat_intel_pulls (
        feed            varchar(10)  PRIMARY KEY CHECK (feed IN ('kev', 'epss')),
        last_attempt_at timestamptz  NOT NULL,
        -- null: the last attempt succeeded (loaded or unchanged).
        last_error      text,
        last_success_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE threat_intel_pulls`);
    await q.query(`DROP TABLE epss_staging`);
  }
}
