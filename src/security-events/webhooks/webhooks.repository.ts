import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  secret_sealed: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  id: string;
  event_id: string | null;
  event_type: string;
  message_id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
  last_error: string | null;
  attempt_list: Array<{ attempted_at: string; duration_ms: number; status_code: number | null; error: string | null }>;
}

export interface NewWebhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  secretSealed: string;
}

export interface WebhookChanges {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}

const COLUMNS = `id, url, events, description, secret_sealed, enabled, disabled_reason, disabled_at, consecutive_failures, created_at, updated_at`;

/** Webhook endpoints, and the deliveries API's view of their outbox. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(m: EntityManager, w: NewWebhook): Promise<WebhookRow> {
    const [row]: WebhookRow[] = await m.query(
      `INSERT INTO webhooks (id, url, events, description, secret_sealed) VALUES ($1, $2, $3::varchar[], $4, $5) RETURNING ${COLUMNS}`,
      [w.id, w.url, w.events, w.description, w.secretSealed],
    );
    return row;
  }

  list(): Promise<WebhookRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM webhooks ORDER BY created_at, id`);
  }

  async findById(id: string): Promise<WebhookRow | null> {
    const [row]: WebhookRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [id]);
    return row ?? null;
  }

  /**
   * Re-enabling starts the failure count afresh and makes the deliveries held while it was
   * disabled due at once, with the webhook-ids they always had.
   */
  async update(m: EntityManager, id: string, c: WebhookChanges): Promise<WebhookRow | null> {
    const [row]: WebhookRow[] = await m.query(
      `WITH changed AS (
       UPDATE webhooks SET
          url         = COALESCE($2, url),
          events      = COALESCE($3::varchar[], events),
          description = CASE WHEN $4::boolean THEN $5 ELSE description END,
          enabled     = COALESCE($6, enabled),
          consecutive_failures = CASE WHEN $6 AND NOT enabled THEN 0 ELSE consecutive_failures END,
          disabled_reason = CASE WHEN $6 THEN NULL WHEN $6 = false AND enabled THEN 'disabled by an administrator' ELSE disabled_reason END,
          disabled_at = CASE WHEN $6 THEN NULL WHEN $6 = false AND enabled THEN now() ELSE disabled_at END,
          updated_at  = now()
        WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM changed`,
      [id, c.url ?? null, c.events ?? null, c.description !== undefined, c.description ?? null, c.enabled ?? null],
    );
    if (row && c.enabled) await m.query(`UPDATE webhook_deliveries SET next_attempt_at = now() WHERE webhook_id = $1 AND status = 'pending'`, [id]);
    return row ?? null;
  }

  async delete(m: EntityManager, id: string): Promise<WebhookRow | null> {
    const [row]: WebhookRow[] = await m.query(`WITH gone AS (DELETE FROM webhooks WHERE id = $1 RETURNING ${COLUMNS}) SELECT * FROM gone`, [id]);
    return row ?? null;
  }

  /** Newest first, each with its attempts in order. */
  deliveries(webhookId: string, beforeId: string | undefined, limit: number): Promise<DeliveryRow[]> {
    return this.dataSource.query(
      `SELECT d.id::text AS id, d.event_id::text AS event_id, d.event_type, d.message_id, d.status, d.attempts, d.next_attempt_at, d.created_at,
              d.delivered_at, d.last_error,
              COALESCE((SELECT json_agg(json_build_object('attempted_at', a.attempted_at, 'duration_ms', a.duration_ms, 'status_code', a.status_code, 'error', a.error)
                                 ORDER BY a.id)
                          FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]'::json) AS attempt_list
         FROM webhook_deliveries d
        WHERE d.webhook_id = $1 AND ($2::bigint IS NULL OR d.id < $2::bigint)
        ORDER BY d.id DESC LIMIT $3`,
      [webhookId, beforeId ?? null, limit],
    );
  }
}
