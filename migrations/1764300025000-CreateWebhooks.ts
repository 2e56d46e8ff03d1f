import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints and their transactional outbox (and one exposure event per finding). A delivery row is written in the same
 * transaction as the security event it carries (so an event is never lost, nor delivered
 * without having been committed), and a worker on any replica claims due rows with
 * FOR UPDATE SKIP LOCKED. Its `message_id` is the Standard Webhooks `webhook-id`, the same on
 * every attempt, so receivers can drop duplicates. Each attempt is kept for the deliveries API.
 */
export class CreateWebhooks1764300025000 implements MigrationInterface {
  name = 'CreateWebhooks1764300025000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id                   uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
        url                  varchar(2000) NOT NULL,
        events               varchar(40)[] NOT NULL,
        description          varchar(500),
        -- The signing secret, sealed by the data protector (src/auth/sealed-columns.ts).
        secret_sealed        text          NOT NULL,
        enabled              boolean       NOT NULL DEFAULT true,
        disabled_reason      varchar(500),
        disabled_at          timestamptz,
        consecutive_failures integer       NOT NULL DEFAULT 0,
        created_at           timestamptz   NOT NULL DEFAULT now(),
        updated_at           timestamptz   NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhooks_enabled_events ON webhooks USING gin (events) WHERE enabled`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id              bigserial    PRIMARY KEY,
        webhook_id      uuid         NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        -- Null for an event that is no security event (the daily digest): its body is stored.
        event_id        bigint       REFERENCES security_events (id) ON DELETE CASCADE,
        event_type      varchar(60)  NOT NULL,
        message_id      uuid         NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        -- Built at the first attempt and sent unchanged on every retry.
        body            text,
        status          varchar(10)  NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts        integer      NOT NULL DEFAULT 0,
        next_attempt_at timestamptz  NOT NULL DEFAULT now(),
        created_at      timestamptz  NOT NULL DEFAULT now(),
        delivered_at    timestamptz,
        last_error      varchar(500)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id DESC)`);
    await q.query(`
      CREATE TABLE webhook_delivery_attempts (
        id           bigserial    PRIMARY KEY,
        delivery_id  bigint       NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempted_at timestamptz  NOT NULL DEFAULT now(),
        duration_ms  integer      NOT NULL,
        status_code  smallint,
        error        varchar(500)
      )`);
    await q.query(`CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, id)`);
    // One exposure_opened event per finding, however often and wherever the findings change is heard.
    await q.query(`CREATE UNIQUE INDEX security_events_exposure_finding ON security_events ((details ->> 'findingId')) WHERE type = 'exposure_opened'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX security_events_exposure_finding`);
    await q.query(`DROP TABLE webhook_delivery_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
