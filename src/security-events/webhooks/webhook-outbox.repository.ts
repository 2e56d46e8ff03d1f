import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A due delivery, claimed for one attempt. */
export interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  event_id: string | null;
  event_type: string;
  message_id: string;
  body: string | null;
  attempts: number;
  created_at: Date;
  url: string;
  secret_sealed: string;
}

export interface AttemptOutcome {
  deliveryId: string;
  webhookId: string;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** Failed: when to try again, or null to give up (the retry window has passed). */
  retryAt: Date | null;
}

/** The outbox side the worker uses: claim due rows across replicas, record each attempt. */
@Injectable()
export class WebhookOutboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `limit` due deliveries of enabled endpoints: rows another replica holds are
   * skipped (SKIP LOCKED), and each claimed row is leased by moving its next attempt past the
   * attempt's deadline, so a replica that dies mid-attempt leaves it to be retried, with the same
   * webhook-id, when the lease runs out.
   */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    return this.dataSource.query(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND w.enabled
          ORDER BY d.next_attempt_at, d.id LIMIT $1
          FOR UPDATE OF d SKIP LOCKED),
       -- In a CTE: TypeORM answers a bare UPDATE ... RETURNING as [rows, count].
       claimed AS (
       UPDATE webhook_deliveries d SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000), attempts = d.attempts + 1
         FROM due, webhooks w
        WHERE d.id = due.id AND w.id = d.webhook_id
       RETURNING d.id::text AS id, d.webhook_id, d.event_id::text AS event_id, d.event_type, d.message_id::text AS message_id, d.body, d.attempts,
                 d.created_at, w.url, w.secret_sealed)
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
  }

  /** Security events by id, for the bodies of deliveries sent for the first time. */
  events(
    ids: string[],
  ): Promise<Array<{ id: string; type: string; device_id: string | null; severity: string; detected_at: Date; details: Record<string, unknown> }>> {
    return this.dataSource.query(`SELECT id::text AS id, type, device_id, severity, detected_at, details FROM security_events WHERE id = ANY($1::bigint[])`, [
      ids,
    ]);
  }

  /** Freezes each body before its first send: every retry sends the same bytes. A body already frozen wins. */
  async freezeBodies(bodies: Array<{ id: string; body: string }>): Promise<Map<string, string>> {
    if (!bodies.length) return new Map();
    const rows: Array<{ id: string; body: string }> = await this.dataSource.query(
      `WITH b AS (SELECT * FROM unnest($1::bigint[], $2::text[]) AS b(id, body)),
       frozen AS (UPDATE webhook_deliveries d SET body = b.body FROM b WHERE d.id = b.id AND d.body IS NULL RETURNING d.id)
       SELECT d.id::text AS id, COALESCE(d.body, b.body) AS body FROM webhook_deliveries d JOIN b ON b.id = d.id`,
      [bodies.map((b) => b.id), bodies.map((b) => b.body)],
    );
    return new Map(rows.map((r) => [r.id, r.body]));
  }

  /**
   * Records one attempt and its consequences in one transaction: the delivery delivered, to be
   * retried, or given up; the endpoint's run of failures reset, counted, or, at the threshold,
   * the endpoint disabled with the reason. Returns whether this attempt disabled it.
   */
  record(o: AttemptOutcome, disableAfter: number): Promise<{ disabled: boolean }> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`INSERT INTO webhook_delivery_attempts (delivery_id, duration_ms, status_code, error) VALUES ($1::bigint, $2, $3, $4)`, [
        o.deliveryId,
        Math.round(o.durationMs),
        o.statusCode,
        o.error?.slice(0, 500) ?? null,
      ]);
      if (o.ok) {
        await m.query(`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), last_error = NULL WHERE id = $1::bigint`, [o.deliveryId]);
        await m.query(`UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0`, [o.webhookId]);
        return { disabled: false };
      }
      await m.query(
        `UPDATE webhook_deliveries SET status = CASE WHEN $2::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = COALESCE($2::timestamptz, next_attempt_at), last_error = $3
          WHERE id = $1::bigint`,
        [o.deliveryId, o.retryAt, o.error?.slice(0, 500) ?? null],
      );
      const [w]: Array<{ disabled: boolean }> = await m.query(
        `WITH before AS (SELECT id, enabled FROM webhooks WHERE id = $1 FOR UPDATE),
         after AS (
           UPDATE webhooks w SET consecutive_failures = w.consecutive_failures + 1,
                  enabled = w.enabled AND w.consecutive_failures + 1 < $2,
                  disabled_at = CASE WHEN w.enabled AND w.consecutive_failures + 1 >= $2 THEN now() ELSE w.disabled_at END,
                  disabled_reason = CASE WHEN w.enabled AND w.consecutive_failures + 1 >= $2
                                         THEN left(format('%s consecutive failed delivery attempts; last: %s', w.consecutive_failures + 1, $3::text), 500)
                                         ELSE w.disabled_reason END
             FROM before WHERE w.id = before.id
           RETURNING w.enabled)
         SELECT before.enabled AND NOT after.enabled AS disabled FROM before, after`,
        [o.webhookId, disableAfter, o.error ?? 'unknown error'],
      );
      return { disabled: w?.disabled ?? false };
    });
  }
}
