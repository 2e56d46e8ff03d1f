import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { severityRank } from '../advisories/severity';
import { AppConfig } from '../config/app-config';
import { FINDINGS_CHANGED, FindingsChangedEvent } from '../findings/findings.events';
import { FINDING_DECISIONS_CHANGED, FindingDecisionsChangedEvent } from '../prioritisation/prioritisation.events';
import { decisionRank } from '../prioritisation/ssvc-decision-points';
import { SecurityEventsMetrics } from './security-events.metrics';
import { SECURITY_EVENTS_RECORDED, SecurityEventsRecordedEvent } from './security-events.events';
import { SecurityEventsRepository } from './security-events.repository';

/**
 * exposure_opened: a device got an open finding at or above the configured advisory severity
 * (SECURITY_EVENT_EXPOSURE_MIN_SEVERITY) or SSVC decision (SECURITY_EVENT_EXPOSURE_MIN_DECISION):
 * when the finding opens, or when its decision rises to the threshold within a day of opening
 * (a KEV listing, an analyst's word). The repository's candidate query is the one place that compares.
 */
@Injectable()
export class ExposureEventsListener {
  private readonly logger = new Logger(ExposureEventsListener.name);

  constructor(
    private readonly repository: SecurityEventsRepository,
    private readonly metrics: SecurityEventsMetrics,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
  ) {}

  private get minRank(): number {
    return severityRank(this.config.SECURITY_EVENT_EXPOSURE_MIN_SEVERITY);
  }

  private get minDecisionRank(): number {
    return decisionRank(this.config.SECURITY_EVENT_EXPOSURE_MIN_DECISION);
  }

  @OnEvent(FINDING_DECISIONS_CHANGED, { async: true, promisify: true })
  onDecisionsChanged(event: FindingDecisionsChangedEvent): Promise<void> {
    return this.record(event.deviceIds);
  }

  /**
   * After the findings commit, so a failure here never undoes findings; one event per finding
   * (a unique index), so the same change heard twice stores it once.
   */
  @OnEvent(FINDINGS_CHANGED, { async: true, promisify: true })
  async onFindingsChanged(event: FindingsChangedEvent): Promise<void> {
    if (!event.opened) return;
    return this.record(event.deviceIds);
  }

  private async record(deviceIds: string[]): Promise<void> {
    if (!deviceIds.length) return;
    try {
      const recorded = await this.repository.recordExposures(deviceIds, this.minRank, this.minDecisionRank);
      if (recorded.stored) {
        const payload: SecurityEventsRecordedEvent = { types: Array(recorded.stored).fill('exposure_opened'), queued: recorded.queued };
        this.events.emit(SECURITY_EVENTS_RECORDED, payload);
      }
    } catch (e) {
      this.metrics.detectionFailures.inc({ source: 'exposure_opened' });
      this.logger.warn({ err: (e as Error).message, devices: deviceIds.length }, 'exposure_opened detection failed');
    }
  }
}
