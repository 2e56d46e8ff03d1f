import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config';
import { DIGEST_ROLES, digestDateDue, digestFor } from './daily-digest';
import { SecurityEventType } from './security-event-types';
import { SECURITY_EVENTS_RECORDED, SecurityEventsRecordedEvent } from './security-events.events';
import { Recorded, SecurityEventsRepository } from './security-events.repository';
import { PeriodicTask } from '../common/periodic-task';

/**
 * Events that come from the clock, not from a heartbeat: work orders past their due date
 * (work_order_overdue) and the daily digest per role (daily_digest), both delivered like every
 * other security event (webhooks, syslog). Each is stored once whatever the number of replicas
 * or passes (unique indexes), so every replica may run this.
 */
@Injectable()
export class ScheduledSecurityEvents implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ScheduledSecurityEvents.name);
  private readonly task = new PeriodicTask({
    run: () => this.runOnce(),
    nextDelayMs: () => this.config.SECURITY_EVENTS_SCHEDULE_INTERVAL_S * 1000,
    logger: this.logger,
    failureMessage: 'scheduled security events failed; they are tried again at the next interval',
  });

  constructor(
    private readonly repository: SecurityEventsRepository,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** One pass: overdue work orders, then today's digests once their hour has come. */
  async runOnce(now = new Date()): Promise<{ overdue: number; digests: number }> {
    const overdue = await this.repository.recordOverdueWorkOrders();
    this.announce('work_order_overdue', overdue);
    let digests = 0;
    const date = digestDateDue(now, this.config.DIGEST_HOUR_UTC);
    if (date) {
      const facts = await this.repository.digestFacts();
      const stored = await this.repository.recordDigests(
        date,
        DIGEST_ROLES.map((role) => ({ role, content: digestFor(role, facts) })),
      );
      this.announce('daily_digest', stored);
      digests = stored.stored;
    }
    return { overdue: overdue.stored, digests };
  }

  private announce(type: SecurityEventType, recorded: Recorded): void {
    if (!recorded.stored) return;
    const event: SecurityEventsRecordedEvent = { types: Array<SecurityEventType>(recorded.stored).fill(type), queued: recorded.queued };
    this.events.emit(SECURITY_EVENTS_RECORDED, event);
  }
}
