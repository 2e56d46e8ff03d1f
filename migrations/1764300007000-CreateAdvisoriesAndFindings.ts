import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Advisories (manual and CSAF), what they affect, products we could not map, the findings
 * (device x advisory) they produce, devices whose exposure cannot be decided, a per-device
 * exposure summary that keeps the IT report's first page an index scan, and firmware releases.
 */
export class CreateAdvisoriesAndFindings1764300007000 implements MigrationInterface {
  name = 'CreateAdvisoriesAndFindings1764300007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE advisories (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        -- Null only for an imported CSAF document whose vendor matches no manufacturer yet.
        manufacturer_id uuid          REFERENCES manufacturers (id) ON DELETE RESTRICT,
        title           varchar(500)  NOT NULL,
        source          varchar(10)   NOT NULL CHECK (source IN ('manual', 'csaf')),
        tracking_id     varchar(200),
        source_revision varchar(50),
        cves            text[]        NOT NULL DEFAULT '{}',
        cvss_score      numeric(3, 1) CHECK (cvss_score BETWEEN 0 AND 10),
        cvss_vector     varchar(200),
        severity        varchar(10)   NOT NULL CHECK (severity IN ('none', 'low', 'medium', 'high', 'critical', 'unknown')),
        published_at    timestamptz,
        remediation     text,
        status          varchar(10)   NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
        withdrawn_at    timestamptz,
        revision        integer       NOT NULL DEFAULT 1,
        document        jsonb,
        created_at      timestamptz   NOT NULL DEFAULT now(),
        updated_at      timestamptz   NOT NULL DEFAULT now(),
        CONSTRAINT advisories_owner CHECK (source = 'csaf' OR manufacturer_id IS NOT NULL)
      )`);
    // CSAF tracking ids are unique per publisher; re-importing one updates it.
    await q.query(`CREATE UNIQUE INDEX advisories_tracking ON advisories (tracking_id) WHERE tracking_id IS NOT NULL`);
    await q.query(`CREATE INDEX advisories_manufacturer ON advisories (manufacturer_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE advisory_revisions (
        id          bigserial PRIMARY KEY,
        advisory_id uuid        NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        revision    integer     NOT NULL,
        snapshot    jsonb       NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        actor_id    varchar(100),
        UNIQUE (advisory_id, revision)
      )`);

    await q.query(`
      CREATE TABLE advisory_affected (
        id            bigserial PRIMARY KEY,
        advisory_id   uuid         NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        model_id      uuid         NOT NULL REFERENCES device_models (id) ON DELETE RESTRICT,
        versions      varchar(300) NOT NULL,
        fixed_version varchar(100),
        product_ref   varchar(200)
      )`);
    await q.query(`CREATE INDEX advisory_affected_advisory ON advisory_affected (advisory_id)`);
    await q.query(`CREATE INDEX advisory_affected_model ON advisory_affected (model_id)`);

    await q.query(`
      CREATE TABLE unmapped_products (
        id                 bigserial PRIMARY KEY,
        advisory_id        uuid         NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        product_ref        varchar(200) NOT NULL,
        vendor             varchar(300) NOT NULL,
        product_name       varchar(500) NOT NULL,
        version_expression varchar(300),
        fixed_version      varchar(100),
        reason             varchar(30)  NOT NULL CHECK (reason IN ('vendor_unknown', 'vendor_mismatch', 'product_unknown', 'version_unreadable')),
        detail             varchar(500),
        created_at         timestamptz  NOT NULL DEFAULT now(),
        resolved_at        timestamptz,
        UNIQUE (advisory_id, product_ref)
      )`);
    await q.query(`CREATE INDEX unmapped_products_open ON unmapped_products (created_at DESC) WHERE resolved_at IS NULL`);

    await q.query(`
      CREATE TABLE findings (
        id            bigserial PRIMARY KEY,
        device_id     uuid         NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
        advisory_id   uuid         NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        status        varchar(10)  NOT NULL CHECK (status IN ('open', 'resolved')),
        firmware_at_detection varchar(100),
        fixed_version varchar(100),
        -- The range that matched: "all versions" with no fix means "no fix: mitigate or replace".
        affected_versions varchar(300) NOT NULL,
        detected_at   timestamptz  NOT NULL DEFAULT clock_timestamp(),
        resolved_at   timestamptz,
        resolution    varchar(30)  CHECK (resolution IN ('firmware_changed', 'advisory_withdrawn', 'advisory_revised', 'device_decommissioned'))
      )`);
    // At most one open finding per (device, advisory); resolved ones are history.
    await q.query(`CREATE UNIQUE INDEX findings_open ON findings (device_id, advisory_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX findings_advisory_open ON findings (advisory_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX findings_device ON findings (device_id, id)`);

    await q.query(`
      CREATE TABLE exposure_unknown (
        device_id   uuid        NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
        advisory_id uuid        NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
        reason      varchar(20) NOT NULL CHECK (reason IN ('no_firmware', 'not_comparable')),
        since       timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (device_id, advisory_id)
      )`);
    await q.query(`CREATE INDEX exposure_unknown_advisory ON exposure_unknown (advisory_id)`);

    await q.query(`
      CREATE TABLE device_exposure (
        device_id          uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
        open_findings      integer       NOT NULL,
        -- -1 when no finding carries a CVSS score: NOT NULL keeps the report's order an index scan.
        max_cvss           numeric(3, 1) NOT NULL,
        max_severity_rank  smallint      NOT NULL,
        first_detected_at  timestamptz   NOT NULL
      )`);
    await q.query(`CREATE INDEX device_exposure_rank ON device_exposure (max_severity_rank DESC, max_cvss DESC, device_id DESC)`);

    await q.query(`
      CREATE TABLE firmware_releases (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model_id      uuid         NOT NULL REFERENCES device_models (id) ON DELETE CASCADE,
        version       varchar(100) NOT NULL,
        released_at   date,
        security_fix  boolean      NOT NULL DEFAULT false,
        notes         text,
        created_at    timestamptz  NOT NULL DEFAULT now(),
        UNIQUE (model_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'firmware_releases',
      'device_exposure',
      'exposure_unknown',
      'findings',
      'unmapped_products',
      'advisory_affected',
      'advisory_revisions',
      'advisories',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
