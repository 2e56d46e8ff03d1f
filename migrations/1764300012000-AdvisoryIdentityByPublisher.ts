import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An imported advisory is its CSAF publisher (`document.publisher.namespace`) plus its tracking
 * id, within the space of whoever submitted it: a manufacturer's own submissions, or the
 * hospital's (`submitted_by_manufacturer_id` null). Before, the tracking id alone was unique, so a
 * manufacturer could import a document under another vendor's tracking id at a higher revision
 * and IT's import of the real one was ignored as older (or, at a lower revision, stored under the
 * squatter as owner). The namespace in a document is whatever its author wrote, so only the
 * submitter keeps one manufacturer's documents from replacing, shadowing or owning another's.
 *
 * Existing rows:
 * - `publisher_namespace` comes from the stored document, normalised as the service does
 *   (`publisherKey`: trimmed, trailing slashes dropped, lower-case); a CSAF row without one (none
 *   should exist: the schema requires it) gets `urn:unknown-publisher`.
 * - `submitted_by_manufacturer_id` is the manufacturer of the API key or person in the row's
 *   `create` audit entry (the audit log is the only record of who submitted it). Rows created by
 *   staff, the system, or an actor no longer known stay the hospital's.
 * - A document a manufacturer squatted before this migration stays its own; the hospital's real
 *   document, if it was ignored as older, appears on the next import of the feed.
 */
export class AdvisoryIdentityByPublisher1764300012000 implements MigrationInterface {
  name = 'AdvisoryIdentityByPublisher1764300012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE advisories ADD COLUMN publisher_namespace varchar(500)`);
    await q.query(`ALTER TABLE advisories ADD COLUMN submitted_by_manufacturer_id uuid REFERENCES manufacturers (id) ON DELETE RESTRICT`);
    await q.query(`
      UPDATE advisories
         SET publisher_namespace = COALESCE(NULLIF(lower(rtrim(btrim(document -> 'document' -> 'publisher' ->> 'namespace'), '/')), ''), 'urn:unknown-publisher')
       WHERE source = 'csaf'`);
    await q.query(`
      UPDATE advisories a
         SET submitted_by_manufacturer_id = creator.manufacturer_id
        FROM (SELECT DISTINCT ON (l.entity_id) l.entity_id, COALESCE(k.manufacturer_id, u.manufacturer_id) AS manufacturer_id
                FROM audit_log l
                LEFT JOIN api_keys k ON l.actor_kind = 'api-key' AND k.id::text = l.actor_id
                LEFT JOIN users u ON l.actor_kind = 'user' AND u.id::text = l.actor_id
               WHERE l.entity_type = 'advisory' AND l.action = 'create'
               ORDER BY l.entity_id, l.id) creator
       WHERE creator.entity_id = a.id::text
         AND creator.manufacturer_id IS NOT NULL
         AND EXISTS (SELECT 1 FROM manufacturers m WHERE m.id = creator.manufacturer_id)`);
    await q.query(`ALTER TABLE advisories ADD CONSTRAINT advisories_publisher CHECK (source <> 'csaf' OR publisher_namespace IS NOT NULL)`);
    await q.query(`DROP INDEX advisories_tracking`);
    await q.query(`
      CREATE UNIQUE INDEX advisories_identity
          ON advisories (publisher_namespace, tracking_id, COALESCE(submitted_by_manufacturer_id, '00000000-0000-0000-0000-000000000000'::uuid))
       WHERE tracking_id IS NOT NULL`);
  }

  /** Fails if two publishers (or submitters) now share a tracking id: resolve those first. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX advisories_identity`);
    await q.query(`CREATE UNIQUE INDEX advisories_tracking ON advisories (tracking_id) WHERE tracking_id IS NOT NULL`);
    await q.query(`ALTER TABLE advisories DROP CONSTRAINT advisories_publisher`);
    await q.query(`ALTER TABLE advisories DROP COLUMN submitted_by_manufacturer_id`);
    await q.query(`ALTER TABLE advisories DROP COLUMN publisher_namespace`);
  }
}
