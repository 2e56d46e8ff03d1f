import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Work orders: one device's remediation, the findings it covers, and who changed what. At most
 * one order per device is active (not done, cancelled or risk-accepted): a partial unique index,
 * so that two recomputes racing to open an order for the same device cannot both succeed.
 */
export class CreateWorkOrders1764300024000 implements MigrationInterface {
  name = 'CreateWorkOrders1764300024000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE work_orders (
        id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        device_id              uuid           NOT NULL REFERENCES devices (id) ON DELETE RESTRICT,
        -- The device's minimum safe version when the order was last planned; null: a mitigation order.
        target_firmware        varchar(100),
        decision               varchar(12)    NOT NULL CHECK (decision IN ('defer', 'scheduled', 'out_of_cycle', 'immediate')),
        decision_rank          smallint       NOT NULL CHECK (decision_rank BETWEEN 0 AND 3),
        due_at                 timestamptz,
        status                 varchar(14)    NOT NULL DEFAULT 'open'
                                              CHECK (status IN ('open', 'scheduled', 'in_progress', 'verifying', 'done', 'cancelled', 'risk_accepted')),
        origin                 varchar(6)     NOT NULL CHECK (origin IN ('auto', 'manual')),
        assignee_user_id       uuid           REFERENCES users (id) ON DELETE SET NULL,
        window_start           timestamptz,
        window_end             timestamptz,
        clinical_approval      jsonb,
        manufacturer_validated jsonb,
        notes                  text,
        status_reason          text,
        -- What proved the fix: {source, sentAt | changedAt, firmware, actor}.
        evidence               jsonb,
        -- The earliest detection among the covered findings: the service level counts from here.
        detected_at            timestamptz    NOT NULL,
        done_at                timestamptz,
        created_at             timestamptz(3) NOT NULL DEFAULT now(),
        updated_at             timestamptz    NOT NULL DEFAULT now(),
        CONSTRAINT work_orders_window CHECK (window_end IS NULL OR window_start < window_end)
      )`);
    await q.query(`CREATE UNIQUE INDEX work_orders_active_device ON work_orders (device_id) WHERE status IN ('open', 'scheduled', 'in_progress', 'verifying')`);
    await q.query(`CREATE INDEX work_orders_device ON work_orders (device_id, created_at DESC)`);
    await q.query(`CREATE INDEX work_orders_created ON work_orders (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX work_orders_due_active ON work_orders (due_at) WHERE status IN ('open', 'scheduled', 'in_progress', 'verifying')`);
    await q.query(`CREATE INDEX work_orders_done ON work_orders (done_at) WHERE status = 'done'`);

    // finding ids and advisory ids, no foreign key: findings are derived rows (see 1764300010000).
    await q.query(`
      CREATE TABLE work_order_findings (
        work_order_id uuid   NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
        finding_id    bigint NOT NULL,
        advisory_id   uuid   NOT NULL,
        PRIMARY KEY (work_order_id, finding_id)
      )`);
    await q.query(`CREATE INDEX work_order_findings_finding ON work_order_findings (finding_id)`);

    await q.query(`
      CREATE TABLE work_order_history (
        id            bigserial PRIMARY KEY,
        work_order_id uuid          NOT NULL REFERENCES work_orders (id) ON DELETE CASCADE,
        at            timestamptz   NOT NULL DEFAULT clock_timestamp(),
        actor_id      varchar(100)  NOT NULL,
        actor_name    varchar(200)  NOT NULL,
        action        varchar(30)   NOT NULL,
        changes       jsonb         NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX work_order_history_order ON work_order_history (work_order_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE work_order_history`);
    await q.query(`DROP TABLE work_order_findings`);
    await q.query(`DROP TABLE work_orders`);
  }
}
