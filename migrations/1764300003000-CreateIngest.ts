import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What heartbeat ingestion keeps besides device state: rejected messages with their reason
 * (bounded by pruning to the newest N) and sightings of devices the inventory does not know.
 */
export class CreateIngest1764300003000 implements MigrationInterface {
  name = 'CreateIngest1764300003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ingest_rejections (
        id          bigserial PRIMARY KEY,
        received_at timestamptz  NOT NULL,
        topic       varchar(300) NOT NULL,
        reason      varchar(40)  NOT NULL,
        detail      varchar(500) NOT NULL,
        payload     text
      )`);
    await q.query(`CREATE INDEX ingest_rejections_reason ON ingest_rejections (reason, id DESC)`);

    await q.query(`
      CREATE TABLE unknown_devices (
        id                bigserial PRIMARY KEY,
        claimed_device_id varchar(200) NOT NULL,
        reason            varchar(30)  NOT NULL CHECK (reason IN ('not_registered', 'serial_mismatch')),
        first_seen_at     timestamptz  NOT NULL,
        last_seen_at      timestamptz  NOT NULL,
        heartbeat_count   bigint       NOT NULL DEFAULT 0,
        claimed_firmware  varchar(100),
        claimed_serial    varchar(100),
        ip_address        varchar(45),
        CONSTRAINT unknown_devices_claim UNIQUE (claimed_device_id, reason)
      )`);
    await q.query(`CREATE INDEX unknown_devices_last_seen ON unknown_devices (last_seen_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unknown_devices`);
    await q.query(`DROP TABLE ingest_rejections`);
  }
}
