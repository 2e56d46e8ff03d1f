import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from '../prioritisation/prioritisation.events';
import { ADVISORY_CHANGED, AdvisoryChangedEvent, ExposureChange } from './advisory.events';

/** Announces a committed advisory change and waits for its listeners, so the answer reflects them. */
@Injectable()
export class AdvisoryChanges {
  constructor(private readonly events: EventEmitter2) {}

  async announce(advisoryId: string, reason: AdvisoryChangedEvent['reason']): Promise<ExposureChange> {
    const event: AdvisoryChangedEvent = { advisoryId, reason };
    const answers: unknown[] = await this.events.emitAsync(ADVISORY_CHANGED, event);
    const total: ExposureChange = { opened: 0, resolved: 0, unknown: 0 };
    for (const a of answers.filter(isExposureChange)) {
      total.opened += a.opened;
      total.resolved += a.resolved;
      total.unknown += a.unknown;
    }
    return total;
  }

  /**
   * After the commit of an import: the advisory's exploitation (and score) are inputs of the
   * findings' decisions; awaited, so the import's answer is followed by decisions that match it.
   */
  async priorityInputsChanged(advisoryIds: string[]): Promise<void> {
    const event: PriorityInputsChangedEvent = { scope: 'advisories', advisoryIds };
    await this.events.emitAsync(PRIORITY_INPUTS_CHANGED, event);
  }
}

function isExposureChange(a: unknown): a is ExposureChange {
  return typeof a === 'object' && a !== null && typeof (a as ExposureChange).opened === 'number';
}
