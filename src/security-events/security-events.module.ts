import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ExposureEventsListener } from './exposure-events.listener';
import { ScheduledSecurityEvents } from './scheduled-security-events.service';
import { SecurityEventsController } from './security-events.controller';
import { SecurityEventsMetrics } from './security-events.metrics';
import { SecurityEventsRepository } from './security-events.repository';
import { SecurityEventsService } from './security-events.service';
import { SecurityEventsRecordedListener } from './security-events-recorded.listener';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhookOutboxRepository } from './webhooks/webhook-outbox.repository';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

/**
 * Security events (stored, listed, acknowledged) and their delivery to webhooks. Ingest stores
 * the events it detects through SecurityEventsRepository in its own batch transaction.
 */
@Module({
  imports: [AuditModule],
  controllers: [SecurityEventsController, WebhooksController],
  providers: [
    SecurityEventsRepository,
    SecurityEventsService,
    SecurityEventsMetrics,
    SecurityEventsRecordedListener,
    ExposureEventsListener,
    ScheduledSecurityEvents,
    WebhooksRepository,
    WebhooksService,
    WebhookOutboxRepository,
    WebhookDeliveryWorker,
  ],
  exports: [SecurityEventsRepository],
})
export class SecurityEventsModule {}
