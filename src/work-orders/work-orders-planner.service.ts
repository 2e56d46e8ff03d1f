import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { planDevice, Step } from './work-order-plan';
import { HistoryActor, SYSTEM_HISTORY_ACTOR, WorkOrdersRepository } from './work-orders.repository';

/** Devices planned per transaction: bounds the statements' arrays and the lock's hold time. */
const CHUNK = 1_000;

export interface PlanResult {
  created: string[];
  steps: Step[];
}

/**
 * Brings devices' work orders in line with their findings, set-based and under one lock: the
 * automatic path (after findings or decisions change) and a person's request go through here, so
 * neither can open a second active order for a device.
 */
@Injectable()
export class WorkOrdersPlanner {
  constructor(private readonly repository: WorkOrdersRepository) {}

  async planDevices(deviceIds: string[]): Promise<PlanResult> {
    const result: PlanResult = { created: [], steps: [] };
    for (let i = 0; i < deviceIds.length; i += CHUNK) {
      const part = await this.repository.planning((m) => this.planIn(m, deviceIds.slice(i, i + CHUNK), false, SYSTEM_HISTORY_ACTOR, 'auto'));
      result.created.push(...part.created);
      result.steps.push(...part.steps);
    }
    return result;
  }

  /** A person's request: an order for each device with open findings, whatever their decisions. */
  async planIn(m: EntityManager, deviceIds: string[], force: boolean, actor: HistoryActor, origin: 'auto' | 'manual'): Promise<PlanResult> {
    const policy = await this.repository.policy(m);
    const states = await this.repository.deviceStates(m, deviceIds);
    const steps = states.flatMap((s) => planDevice(s, { policy, force }));
    const created = steps.length ? await this.repository.apply(m, steps, origin, actor) : [];
    return { created, steps };
  }
}
