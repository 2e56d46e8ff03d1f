import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DEVICES_CHANGED, DevicesChangedEvent } from '../inventory/inventory.events';
import { evaluateExposure } from './exposure-rules';
import { DiffResult, FindingsRepository } from './findings.repository';

/**
 * Keeps findings equal to the finding rule, incrementally, from both sides: a device change
 * recomputes that device against every active advisory of its model; an advisory change
 * recomputes that advisory against every device of its models.
 */
@Injectable()
export class FindingsEngine implements BeforeApplicationShutdown {
  private readonly logger = new Logger(FindingsEngine.name);
  /** Recomputes started by device-change events and not finished yet. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly repository: FindingsRepository) {}

  @OnEvent(DEVICES_CHANGED, { async: true, promisify: true })
  onDevicesChanged(event: DevicesChangedEvent): Promise<void> {
    const run = this.recomputeDevices(event.deviceIds).then(
      () => undefined,
      (e: unknown) => {
        // The change itself is committed; a later change or advisory recompute heals this.
        this.logger.error({ err: (e as Error).message, devices: event.deviceIds.length }, 'findings recompute after a device change failed');
      },
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /**
   * A device change is committed before its findings are recomputed: shutting down in between
   * would leave its findings stale until the device changes again. Nest runs this hook after the
   * heartbeat ingest's (FindingsModule is further from the root), so the last batch's events are
   * in; the database closes only after every before-shutdown hook.
   */
  async beforeApplicationShutdown(): Promise<void> {
    // Listeners registered with async: true start on a later tick.
    await new Promise((r) => setImmediate(r));
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  recomputeDevices(deviceIds: string[]): Promise<DiffResult> {
    return this.repository.locked(async (m) => {
      const devices = await this.repository.devicesByIds(m, deviceIds);
      const live = devices.filter((d) => !d.decommissioned);
      const lines = await this.repository.linesForModels(m, [...new Set(live.map((d) => d.modelId))]);
      const result = await this.repository.applyDiff(m, { deviceIds: live.map((d) => d.id) }, evaluateExposure(live, lines), 'firmware_changed');
      const gone = devices.filter((d) => d.decommissioned).map((d) => d.id);
      if (gone.length) {
        const closed = await this.repository.applyDiff(m, { deviceIds: gone }, [], 'device_decommissioned');
        result.resolved += closed.resolved;
      }
      return result;
    });
  }

  recomputeAdvisory(advisoryId: string, reason: 'advisory_revised' | 'advisory_withdrawn'): Promise<DiffResult> {
    return this.repository.locked(async (m) => {
      const lines = await this.repository.linesForAdvisory(m, advisoryId);
      const devices = lines.length ? await this.repository.liveDevicesOfModels(m, [...new Set(lines.map((l) => l.modelId))]) : [];
      const desired = evaluateExposure(devices, lines);
      return this.repository.applyDiff(m, { advisoryId }, desired, reason);
    });
  }
}
