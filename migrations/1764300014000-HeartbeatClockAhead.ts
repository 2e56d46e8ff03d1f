import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A device's sentAt is never stored after the moment the service received the heartbeat.
 * One ahead of the receipt is stored as the receipt, and `last_heartbeat_clock_ahead` says so:
 * such a stored time is an upper bound of when the device really sent it, so the next heartbeat
 * is compared with it by arrival, not by its own sentAt (src/ingest/heartbeat-order.ts).
 *
 * Rows stored before this rule may hold a sentAt up to 5 minutes after their receipt, which kept
 * every later heartbeat from applying until that time passed. They are brought back to the last
 * receipt, the latest a stored heartbeat can have arrived. The column's constant default adds it
 * without rewriting the table.
 */
export class HeartbeatClockAhead1764300014000 implements MigrationInterface {
  name = 'HeartbeatClockAhead1764300014000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device_presence ADD COLUMN last_heartbeat_clock_ahead boolean NOT NULL DEFAULT false`);
    await q.query(`
      UPDATE device_presence SET last_heartbeat_sent_at = last_seen_at, last_heartbeat_clock_ahead = true
       WHERE last_heartbeat_sent_at > last_seen_at`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE device_presence DROP COLUMN last_heartbeat_clock_ahead`);
  }
}
