import { EventEmitter2 } from '@nestjs/event-emitter';
import { Registry } from 'prom-client';
import { FindingPriorities } from '../prioritisation/finding-priorities.service';
import { FindingsQueueRepository } from './findings-queue.repository';
import { FindingsEngine } from './findings.engine';
import { FindingsMetrics } from './findings.metrics';
import { FindingsRepository } from './findings.repository';

/** Only the lifecycle: the repository is held open so that the drain is still running at shutdown. */
function engineWithSlowRecompute(outcome: 'ok' | 'fail') {
  const state = { finished: false };
  const repository = {
    locked: () =>
      new Promise((resolve, reject) =>
        setTimeout(() => {
          state.finished = true;
          if (outcome === 'ok') resolve({ opened: 0, resolved: 0, unknown: 0, changedDeviceIds: [], decisionChangedDeviceIds: [] });
          else reject(new Error('Connection terminated'));
        }, 50),
      ),
  } as unknown as FindingsRepository;
  const queue = { postpone: async () => undefined } as unknown as FindingsQueueRepository;
  return { engine: new FindingsEngine(repository, queue, new FindingsMetrics(new Registry()), new EventEmitter2(), {} as FindingPriorities), state };
}

describe('FindingsEngine at shutdown', () => {
  it.each(['ok', 'fail'] as const)('waits for a drain started by a device change (%s) before the database may close', async (outcome) => {
    const { engine, state } = engineWithSlowRecompute(outcome);
    void engine.onDevicesChanged({ deviceIds: ['0b8f3c1e-6a52-4d7e-9a0f-2f6c1b7d9e44'], reason: 'firmware' });
    await engine.onApplicationShutdown();
    expect(state.finished).toBe(true);
  });
});
