import { MigrationInterface, QueryRunner } from 'typeorm';

/** MQTT credentials of devices: username = device id, secret stored only as a SHA-256. */
export class CreateDeviceCredentials1764300004000 implements MigrationInterface {
  name = 'CreateDeviceCredentials1764300004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_credentials (
        device_id   uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
        username    varchar(64) NOT NULL UNIQUE,
        secret_hash char(64)    NOT NULL,
        issued_at   timestamptz NOT NULL DEFAULT now(),
        issued_by   varchar(100)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE device_credentials`);
  }
}
