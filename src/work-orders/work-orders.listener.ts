import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { FINDINGS_CHANGED, FindingsChangedEvent } from '../findings/findings.events';
import { FINDING_DECISIONS_CHANGED, FindingDecisionsChangedEvent } from '../prioritisation/prioritisation.events';
import { WorkOrdersMetrics } from './work-orders.metrics';
import { WorkOrdersPlanner } from './work-orders-planner.service';

/**
 * The remediation loop's automatic half: after findings open or close, or their decisions
 * change, the devices' orders are opened, joined, proved done, or reopened on a rollback. Runs
 * after the findings' commit; a failure is logged and counted, and the next change of the same
 * device plans it again (planning is idempotent).
 */
@Injectable()
export class WorkOrdersListener implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkOrdersListener.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly planner: WorkOrdersPlanner,
    private readonly metrics: WorkOrdersMetrics,
  ) {}

  @OnEvent(FINDINGS_CHANGED, { async: true, promisify: true })
  onFindingsChanged(event: FindingsChangedEvent): Promise<void> {
    return this.track(event.deviceIds);
  }

  @OnEvent(FINDING_DECISIONS_CHANGED, { async: true, promisify: true })
  onDecisionsChanged(event: FindingDecisionsChangedEvent): Promise<void> {
    return this.track(event.deviceIds);
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private track(deviceIds: string[]): Promise<void> {
    const run = this.planner.planDevices(deviceIds).then(
      (r) => this.metrics.countSteps(r.steps),
      (e: unknown) => {
        this.metrics.failures.inc();
        this.logger.warn({ err: (e as Error).message, devices: deviceIds.length }, 'work-order planning after a findings change failed');
      },
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }
}
