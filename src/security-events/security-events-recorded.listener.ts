import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SecurityEventsMetrics } from './security-events.metrics';
import { SECURITY_EVENTS_RECORDED, SecurityEventsRecordedEvent } from './security-events.events';

/** Counts committed events per type (iomt_security_events_total). */
@Injectable()
export class SecurityEventsRecordedListener {
  constructor(private readonly metrics: SecurityEventsMetrics) {}

  @OnEvent(SECURITY_EVENTS_RECORDED)
  onRecorded(event: SecurityEventsRecordedEvent): void {
    for (const type of event.types) this.metrics.events.inc({ type });
  }
}
