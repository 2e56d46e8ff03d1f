import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

@Injectable()
export class SecurityEventsMetrics {
  readonly events: Counter<'type'>;
  readonly detectionFailures: Counter<'source'>;
  readonly deliveryAttempts: Counter<'outcome'>;
  readonly endpointsDisabled: Counter<string>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.events = new Counter({ name: 'iomt_security_events_total', help: 'Security events stored, by type', labelNames: ['type'], registers });
    this.detectionFailures = new Counter({
      name: 'iomt_security_event_detection_failures_total',
      help: 'Detection passes that failed outside the heartbeat path (exposure_opened), by source; the next pass catches up',
      labelNames: ['source'],
      registers,
    });
    this.deliveryAttempts = new Counter({
      name: 'iomt_webhook_delivery_attempts_total',
      help: 'Webhook delivery attempts, by outcome: delivered, retry (failed, to be retried), failed (given up after the retry window)',
      labelNames: ['outcome'],
      registers,
    });
    this.endpointsDisabled = new Counter({
      name: 'iomt_webhook_endpoints_disabled_total',
      help: 'Webhook endpoints disabled after too many consecutive failed attempts',
      registers,
    });
  }
}
