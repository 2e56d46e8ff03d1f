import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { AdvisoryThreat, AppliedPriorities, FindingPrioritiesRepository, MatrixRows, PriorityScope } from './finding-priorities.repository';
import { resolveThreatInputs } from './priority-inputs';
import { FINDING_DECISIONS_CHANGED, FindingDecisionsChangedEvent, PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from './prioritisation.events';
import { decisionMatrix, DEVICE_CLASSES, deviceClassIndex, threatClasses } from './ssvc-decision';
import { threatKey } from './stored-priority';

/**
 * Gives open findings their SSVC priority, set-based: the threat side of each advisory in scope
 * is resolved by the pure rules, then one statement decides each (advisory, device class) cell
 * the scope's findings need from the decision matrix (the pure decision over every combination of
 * inputs), writing the cells that move and the findings whose device's class changed; a
 * finding's decision and due date are read through its cell.
 */
@Injectable()
export class FindingPriorities {
  private readonly logger = new Logger(FindingPriorities.name);
  private readonly classIndex = new Map(threatClasses().map((t, i) => [threatKey(t), i]));
  private readonly matrix: MatrixRows = buildMatrixRows(this.classIndex);

  constructor(
    private readonly repository: FindingPrioritiesRepository,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * Inside a transaction that holds the findings lock (a findings recompute's): the findings it
   * opens carry their priority at its commit. `refreshSummaries: false` when the caller rewrites
   * the devices' summaries itself afterwards.
   */
  async prioritiseIn(m: EntityManager, scope: PriorityScope, o: { refreshSummaries: boolean }): Promise<AppliedPriorities> {
    const evidence = await this.repository.evidence(m, scope);
    const threats: AdvisoryThreat[] = evidence.map((e) => {
      const key = threatKey(resolveThreatInputs(e));
      return {
        advisoryId: e.advisoryId,
        threatClass: this.classIndex.get(key)!,
        threatKey: key,
        inKev: e.inKev,
        knownRansomware: e.knownRansomware,
        epss: e.epss,
        epssPercentile: e.epssPercentile,
      };
    });
    const applied = await this.repository.apply(m, scope, threats, this.matrix);
    if (o.refreshSummaries && applied.summariesMoved) {
      const all = scope.scope === 'all';
      await this.repository.refreshSummaries(m, all ? 'all' : applied.touchedDeviceIds, { analyze: all });
    }
    return applied;
  }

  /** In a transaction of its own; announces the devices whose decisions or due dates moved, after the commit. */
  async recompute(scope: PriorityScope): Promise<AppliedPriorities> {
    const applied = await this.repository.locked((m) => this.prioritiseIn(m, scope, { refreshSummaries: true }));
    if (applied.decisionChangedDeviceIds.length) {
      const event: FindingDecisionsChangedEvent = { deviceIds: applied.decisionChangedDeviceIds };
      this.events.emit(FINDING_DECISIONS_CHANGED, event);
    }
    return applied;
  }

  /**
   * The change that emitted this is committed already: a failure here is logged, and the next
   * change of the same inputs (or a full recompute) repairs it. Awaited by emitAsync, so the
   * request that changed an input answers after its decisions moved.
   */
  @OnEvent(PRIORITY_INPUTS_CHANGED, { promisify: true })
  async onInputsChanged(event: PriorityInputsChangedEvent): Promise<void> {
    try {
      await this.recompute(event);
    } catch (e) {
      this.logger.error({ err: (e as Error).message, scope: event.scope }, 'priority recompute after an input change failed');
    }
  }
}

function buildMatrixRows(classIndex: Map<string, number>): MatrixRows {
  const rows: MatrixRows = { decision: [], decisionRank: [] };
  for (const { threat, device, result } of decisionMatrix()) {
    const cell = classIndex.get(threatKey(threat))! * DEVICE_CLASSES + deviceClassIndex(device);
    rows.decision[cell] = result.decision;
    rows.decisionRank[cell] = result.decisionRank;
  }
  return rows;
}
