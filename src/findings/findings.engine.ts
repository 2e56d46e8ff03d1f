import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { ADVISORY_CHANGED, AdvisoryChangedEvent } from '../advisories/advisory.events';
import { DEVICES_CHANGED, DevicesChangedEvent } from '../inventory/inventory.events';
import { FindingPriorities } from '../prioritisation/finding-priorities.service';
import { FINDING_DECISIONS_CHANGED, FindingDecisionsChangedEvent } from '../prioritisation/prioritisation.events';
import { evaluateExposure } from './exposure-rules';
import { FindingsQueueRepository, QueuedWork } from './findings-queue.repository';
import { FINDINGS_CHANGED, FindingsChangedEvent } from './findings.events';
import { FindingsMetrics } from './findings.metrics';
import { DiffResult, FindingsRepository, Resolution } from './findings.repository';

/** Per drain of the background worker: one device statement set, and a few advisories. */
export const DRAIN_LIMITS = { devices: 1_000, advisories: 10 };

/**
 * Keeps findings equal to the finding rule, incrementally, from both sides: a device change
 * recomputes that device against every active advisory of its model; an advisory change
 * recomputes that advisory against every device of its models.
 *
 * What to recompute is read from the queue the changes wrote in their own transactions, and
 * an entry is deleted in the transaction that applies its recompute: a crash or a failure at
 * any point leaves it queued, for the change's own drain or, later, the background worker.
 * Recomputing is idempotent, so doing an entry twice is harmless.
 */
@Injectable()
export class FindingsEngine implements OnApplicationShutdown {
  private readonly logger = new Logger(FindingsEngine.name);
  /** Drains started by device-change events and not finished yet. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly repository: FindingsRepository,
    private readonly queue: FindingsQueueRepository,
    private readonly metrics: FindingsMetrics,
    private readonly events: EventEmitter2,
    private readonly priorities: FindingPriorities,
  ) {}

  @OnEvent(DEVICES_CHANGED, { async: true, promisify: true })
  onDevicesChanged(event: DevicesChangedEvent): Promise<void> {
    const run = this.recomputeDevices(event.deviceIds).then(
      () => undefined,
      (e: unknown) => {
        // The change and what it owes are committed: the background worker retries it.
        this.logger.warn(
          { err: (e as Error).message, devices: event.deviceIds.length },
          'findings recompute after a device change failed; it stays queued and is retried',
        );
      },
    );
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /**
   * The advisory change's request awaits this, so its answer shows the new findings; a failure
   * reaches that request (the recompute stays queued for the background worker).
   */
  @OnEvent(ADVISORY_CHANGED, { suppressErrors: false })
  onAdvisoryChanged(event: AdvisoryChangedEvent): Promise<DiffResult> {
    return this.recomputeAdvisory(event.advisoryId, event.reason);
  }

  /**
   * Drains started by a device change are waited for, so a clean stop leaves nothing for the
   * next start; a crash leaves their entries queued. Nest runs every before-shutdown hook (the
   * heartbeat ingest's, which commits the last batch and emits its events) before any shutdown
   * hook, whatever the modules' places in the graph, and the database (a global module) closes
   * in the last shutdown hooks, after this one.
   */
  async onApplicationShutdown(): Promise<void> {
    // Listeners registered with async: true start on a later tick.
    await new Promise((r) => setImmediate(r));
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /** Does now what changes to these devices owe (nothing when another drain did it already). */
  async recomputeDevices(deviceIds: string[]): Promise<DiffResult> {
    return (await this.drain((m) => this.queue.forTargets(m, 'device', deviceIds))).diff;
  }

  /** Does now what a change to this advisory owes, closing findings with this resolution. */
  async recomputeAdvisory(advisoryId: string, reason: 'advisory_revised' | 'advisory_withdrawn'): Promise<DiffResult> {
    return (await this.drain((m) => this.queue.forTargets(m, 'advisory', [advisoryId]), reason)).diff;
  }

  /** One batch of entries due (queued and not drained by their change in time); returns how many were done. */
  async drainDue(lockTimeoutMs: number, failedToo = false): Promise<number> {
    return (await this.drain((m) => this.queue.due(m, DRAIN_LIMITS, failedToo), undefined, lockTimeoutMs)).done;
  }

  private async drain(
    pick: (m: EntityManager) => Promise<QueuedWork[]>,
    advisoryReason?: Resolution,
    lockTimeoutMs?: number,
  ): Promise<{ diff: DiffResult; done: number }> {
    let picked: QueuedWork[] = [];
    try {
      const diff = await this.repository.locked(async (m) => {
        picked = await pick(m);
        const total: DiffResult = { opened: 0, resolved: 0, unknown: 0, changedDeviceIds: [], decisionChangedDeviceIds: [] };
        const devices = picked.filter((w) => w.kind === 'device').map((w) => w.targetId);
        if (devices.length) add(total, await this.recomputeDevicesIn(m, devices));
        for (const w of picked.filter((x) => x.kind === 'advisory')) {
          add(total, await this.recomputeAdvisoryIn(m, w.targetId, advisoryReason ?? (w.reason as Resolution)));
        }
        await this.queue.complete(m, picked);
        return total;
      }, lockTimeoutMs);
      for (const kind of ['device', 'advisory'] as const) {
        const n = picked.filter((w) => w.kind === kind).length;
        if (n) this.metrics.recomputed.inc({ kind }, n);
      }
      this.announce(diff);
      return { diff, done: picked.length };
    } catch (e) {
      this.metrics.failures.inc();
      // Best effort: when the database is away this fails too, and the entry is retried when due.
      await this.queue.postpone(picked, (e as Error).message).catch(() => undefined);
      throw e;
    }
  }

  /** After the commit: listeners read committed findings, and one that fails cannot undo them. */
  private announce(diff: DiffResult): void {
    const opened = new Set(diff.changedDeviceIds);
    const moved = diff.decisionChangedDeviceIds.filter((id) => !opened.has(id));
    if (moved.length) {
      const decisions: FindingDecisionsChangedEvent = { deviceIds: moved };
      this.events.emit(FINDING_DECISIONS_CHANGED, decisions);
    }
    if (!diff.changedDeviceIds.length) return;
    const event: FindingsChangedEvent = { deviceIds: diff.changedDeviceIds, opened: diff.opened, resolved: diff.resolved };
    this.events.emit(FINDINGS_CHANGED, event);
  }

  /** What applyDiff runs before writing summaries: the scope's open findings get their priority in the same transaction. */
  private prioritise(scope: { deviceIds: string[] } | { advisoryId: string }, decisionChanged: string[]): (m: EntityManager) => Promise<void> {
    return async (m) => {
      const applied = await this.priorities.prioritiseIn(
        m,
        'deviceIds' in scope ? { scope: 'devices', deviceIds: scope.deviceIds } : { scope: 'advisories', advisoryIds: [scope.advisoryId] },
        { refreshSummaries: false },
      );
      decisionChanged.push(...applied.decisionChangedDeviceIds);
    };
  }

  private async recomputeDevicesIn(m: EntityManager, deviceIds: string[]): Promise<DiffResult> {
    const devices = await this.repository.devicesByIds(m, deviceIds);
    const live = devices.filter((d) => !d.decommissioned);
    const lines = await this.repository.linesForModels(m, [...new Set(live.map((d) => d.modelId))]);
    const scope = { deviceIds: live.map((d) => d.id) };
    const decisionChanged: string[] = [];
    const result = await this.repository.applyDiff(m, scope, evaluateExposure(live, lines), 'firmware_changed', this.prioritise(scope, decisionChanged));
    result.decisionChangedDeviceIds.push(...decisionChanged);
    const gone = devices.filter((d) => d.decommissioned).map((d) => d.id);
    if (gone.length) {
      const closed = await this.repository.applyDiff(m, { deviceIds: gone }, [], 'device_decommissioned');
      result.resolved += closed.resolved;
      result.changedDeviceIds.push(...closed.changedDeviceIds);
    }
    return result;
  }

  private async recomputeAdvisoryIn(m: EntityManager, advisoryId: string, reason: Resolution): Promise<DiffResult> {
    const lines = await this.repository.linesForAdvisory(m, advisoryId);
    const devices = lines.length ? await this.repository.liveDevicesOfModels(m, [...new Set(lines.map((l) => l.modelId))]) : [];
    const decisionChanged: string[] = [];
    const result = await this.repository.applyDiff(
      m,
      { advisoryId },
      evaluateExposure(devices, lines),
      reason,
      this.prioritise({ advisoryId }, decisionChanged),
    );
    result.decisionChangedDeviceIds.push(...decisionChanged);
    return result;
  }
}

function add(total: DiffResult, more: DiffResult): void {
  total.opened += more.opened;
  total.resolved += more.resolved;
  total.unknown += more.unknown;
  total.changedDeviceIds = [...new Set([...total.changedDeviceIds, ...more.changedDeviceIds])];
  total.decisionChangedDeviceIds = [...new Set([...total.decisionChangedDeviceIds, ...more.decisionChangedDeviceIds])];
}
