import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Threat intelligence the SSVC decisions read: CISA's KEV catalog, FIRST's EPSS scores, an
 * analyst's own view of a CVE, and which version of each feed is loaded. Feeds are replaced
 * whole (a new catalog or a new day of scores), never merged row by row.
 */
export class CreateThreatIntel1764300020000 implements MigrationInterface {
  name = 'CreateThreatIntel1764300020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE threat_intel_feeds (
        feed        varchar(10)  PRIMARY KEY CHECK (feed IN ('kev', 'epss')),
        -- KEV catalogVersion; EPSS model_version.
        version     varchar(100) NOT NULL,
        -- KEV dateReleased; EPSS score_date.
        released_at timestamptz,
        entries     integer      NOT NULL CHECK (entries >= 0),
        origin      varchar(10)  NOT NULL CHECK (origin IN ('upload', 'pull')),
        loaded_by   varchar(100),
        loaded_at   timestamptz  NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE kev_entries (
        cve                varchar(30)  PRIMARY KEY,
        vendor_project     varchar(300) NOT NULL,
        product            varchar(300) NOT NULL,
        vulnerability_name text         NOT NULL,
        date_added         date         NOT NULL,
        due_date           date,
        -- knownRansomwareCampaignUse = 'Known'.
        known_ransomware   boolean      NOT NULL,
        required_action    text,
        notes              text
      )`);
    await q.query(`
      CREATE TABLE epss_scores (
        cve        varchar(30)   PRIMARY KEY,
        epss       numeric(6, 5) NOT NULL CHECK (epss BETWEEN 0 AND 1),
        percentile numeric(6, 5) NOT NULL CHECK (percentile BETWEEN 0 AND 1)
      )`);
    // An analyst's values win over the feeds' and the document's (KEV's "active" excepted).
    await q.query(`
      CREATE TABLE vulnerability_assessments (
        cve          varchar(30)  PRIMARY KEY,
        exploitation varchar(12)  CHECK (exploitation IN ('none', 'public_poc', 'active')),
        automatable  varchar(3)   CHECK (automatable IN ('yes', 'no')),
        note         text,
        updated_by   varchar(100) NOT NULL,
        updated_at   timestamptz  NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['vulnerability_assessments', 'epss_scores', 'kev_entries', 'threat_intel_feeds']) await q.query(`DROP TABLE ${table}`);
  }
}
