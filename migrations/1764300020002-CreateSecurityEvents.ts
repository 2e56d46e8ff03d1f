import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Security events noticed on the ingest path and by the findings, kept for people to read and
 * acknowledge and for the outbound channels (webhooks, syslog) to deliver. Ids are ordered, so
 * a channel keeps its place as the last id it delivered.
 */
export class CreateSecurityEvents1764300020002 implements MigrationInterface {
  name = 'CreateSecurityEvents1764300020002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_events (
        id              bigserial    PRIMARY KEY,
        type            varchar(40)  NOT NULL CHECK (type IN (
                          'firmware_downgrade', 'firmware_not_released', 'decommissioned_device_heard', 'serial_mismatch',
                          'unknown_device', 'address_changed', 'exposure_opened', 'work_order_overdue')),
        -- Null for an event about no registered device (unknown_device names the claimed id in details).
        device_id       uuid         REFERENCES devices (id) ON DELETE SET NULL,
        severity        varchar(10)  NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
        detected_at     timestamptz  NOT NULL DEFAULT clock_timestamp(),
        details         jsonb        NOT NULL DEFAULT '{}'::jsonb,
        acknowledged_by varchar(100),
        acknowledged_at timestamptz
      )`);
    await q.query(`CREATE INDEX security_events_recent ON security_events (detected_at DESC, id DESC)`);
    await q.query(`CREATE INDEX security_events_device ON security_events (device_id, id DESC) WHERE device_id IS NOT NULL`);
    await q.query(`CREATE INDEX security_events_open ON security_events (id DESC) WHERE acknowledged_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE security_events`);
  }
}
