import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataProtector } from '../../auth/data-protector';
import { webhookSecretContext } from '../../auth/sealed-columns';
import { AppConfig } from '../../config/app-config';
import { cloudEventType } from '../security-event-types';
import { SecurityEventsMetrics } from '../security-events.metrics';
import { SECURITY_EVENTS_RECORDED, SecurityEventsRecordedEvent } from '../security-events.events';
import { cloudEvent } from './cloud-event';
import { webhookMessageId } from './webhook-event-types';
import { givesUp, retryDelayMs } from './retry-schedule';
import { sendWebhook } from './webhook-sender';
import { signedHeaders } from './webhook-signer';
import { ClaimedDelivery, WebhookOutboxRepository } from './webhook-outbox.repository';
import { AllowedHosts } from './webhook-target';

/** Deliveries claimed at once by one replica; attempts run concurrently. */
const CLAIM_LIMIT = 20;

/**
 * Sends the outbox: polls for due deliveries (and is woken when a transaction queued some),
 * claims them with SKIP LOCKED so replicas share the work, sends each signed, and records the
 * attempt. Nothing is kept in memory between polls: a restart or an outage loses no delivery.
 */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private readonly allowed: AllowedHosts;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: WebhookOutboxRepository,
    private readonly protector: DataProtector,
    private readonly metrics: SecurityEventsMetrics,
    private readonly config: AppConfig,
  ) {
    this.allowed = new AllowedHosts(config.webhookAllowedHosts);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), this.config.WEBHOOK_POLL_INTERVAL_MS);
    this.timer.unref();
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  @OnEvent(SECURITY_EVENTS_RECORDED)
  onRecorded(event: SecurityEventsRecordedEvent): void {
    if (event.queued > 0) this.wake();
  }

  /** Runs a pass now, or right after the one under way. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pass(): Promise<void> {
    try {
      for (;;) {
        // The lease outlasts the attempt's deadline, so no other replica takes a row still being sent.
        const claimed = await this.outbox.claimDue(CLAIM_LIMIT, this.config.WEBHOOK_TIMEOUT_MS + 30_000);
        if (!claimed.length) return;
        const bodies = await this.bodies(claimed);
        await Promise.all(claimed.map((d) => this.attempt(d, bodies.get(d.id))));
        if (claimed.length < CLAIM_LIMIT || this.stopped) return;
      }
    } catch (e) {
      // The database is away: the rows stay in the outbox and the next poll tries again.
      this.logger.warn({ err: (e as Error).message }, 'webhook delivery pass failed; retried at the next poll');
    }
  }

  /** Each delivery's body, built from its event at the first attempt and frozen for the retries. */
  private async bodies(claimed: ClaimedDelivery[]): Promise<Map<string, string>> {
    const known = new Map(claimed.filter((d) => d.body !== null).map((d) => [d.id, d.body!]));
    const fresh = claimed.filter((d) => d.body === null && d.event_id !== null);
    if (!fresh.length) return known;
    const events = new Map((await this.outbox.events(fresh.map((d) => d.event_id!))).map((e) => [e.id, e]));
    const built = fresh.flatMap((d) => {
      const e = events.get(d.event_id!);
      if (!e) return [];
      const subject = e.device_id ?? (typeof e.details.claimedDeviceId === 'string' ? e.details.claimedDeviceId : null);
      const body = JSON.stringify(
        cloudEvent({
          id: e.id,
          type: cloudEventType(e.type),
          subject,
          time: new Date(e.detected_at),
          data: { id: e.id, type: e.type, deviceId: e.device_id, severity: e.severity, detectedAt: new Date(e.detected_at).toISOString(), details: e.details },
        }),
      );
      return [{ id: d.id, body }];
    });
    for (const [id, body] of await this.outbox.freezeBodies(built)) known.set(id, body);
    return known;
  }

  private async attempt(d: ClaimedDelivery, body: string | undefined): Promise<void> {
    try {
      const result = body
        ? await sendWebhook(d.url, this.headers(d, body), body, this.config.WEBHOOK_TIMEOUT_MS, this.allowed)
        : { ok: false, statusCode: null, error: 'the event of this delivery no longer exists', durationMs: 0 };
      const now = new Date();
      const giveUp = !result.ok && (body === undefined || givesUp(new Date(d.created_at), now, this.config.WEBHOOK_RETRY_WINDOW_S * 1000));
      const retryAt = result.ok || giveUp ? null : new Date(now.getTime() + this.retryDelay(d.attempts));
      const { disabled } = await this.outbox.record(
        { deliveryId: d.id, webhookId: d.webhook_id, ...result, retryAt },
        this.config.WEBHOOK_DISABLE_AFTER_FAILURES,
      );
      this.metrics.deliveryAttempts.inc({ outcome: result.ok ? 'delivered' : giveUp ? 'failed' : 'retry' });
      if (disabled) {
        this.metrics.endpointsDisabled.inc();
        this.logger.warn(
          { webhookId: d.webhook_id, failures: this.config.WEBHOOK_DISABLE_AFTER_FAILURES },
          'webhook endpoint disabled after consecutive failures',
        );
      }
      if (!result.ok) this.logger.debug({ webhookId: d.webhook_id, deliveryId: d.id, error: result.error }, 'webhook delivery attempt failed');
    } catch (e) {
      // Recording failed (database away): the lease expires and the same delivery is tried again.
      this.logger.warn({ deliveryId: d.id, err: (e as Error).message }, 'recording a webhook attempt failed');
    }
  }

  private headers(d: ClaimedDelivery, body: string): Record<string, string> {
    const secret = this.protector.open(d.secret_sealed, webhookSecretContext(d.webhook_id));
    return signedHeaders(secret, webhookMessageId(d.message_id), new Date(), body);
  }

  private retryDelay(attempts: number): number {
    return retryDelayMs(attempts, this.config.WEBHOOK_RETRY_BASE_MS, this.config.WEBHOOK_RETRY_MAX_DELAY_S * 1000);
  }
}
