import { EventEmitter2 } from '@nestjs/event-emitter';
import { AppConfig } from '../config/app-config';
import { ConnectivitySweeper } from './connectivity-sweeper.service';
import { HeartbeatRepository } from './heartbeat.repository';
import { CONNECTIVITY_CHANGED } from './ingest.events';
import { IngestMetrics } from './ingest.metrics';

describe('ConnectivitySweeper', () => {
  const metrics = { connectivity: { inc: jest.fn() } } as unknown as IngestMetrics;
  const config = { HEARTBEAT_OFFLINE_AFTER_S: 120 } as AppConfig;
  const events = { emit: jest.fn() } as unknown as EventEmitter2;
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `device-${i}`);

  it('runs one pass at a time: a sweep during a pass joins it instead of starting another', async () => {
    let finish: (n: number) => void = () => undefined;
    const markSilentDevicesOffline = jest.fn(() => new Promise<string[]>((resolve) => (finish = (n) => resolve(ids(n)))));
    const sweeper = new ConnectivitySweeper({ markSilentDevicesOffline } as unknown as HeartbeatRepository, metrics, config, events);

    const first = sweeper.sweep();
    const second = sweeper.sweep();
    finish(7);

    expect(await first).toBe(7);
    expect(await second).toBe(7);
    expect(markSilentDevicesOffline).toHaveBeenCalledTimes(1);
    expect(metrics.connectivity.inc).toHaveBeenCalledWith({ to: 'offline' }, 7);
    expect(events.emit).toHaveBeenCalledTimes(1);
    expect(events.emit).toHaveBeenCalledWith(CONNECTIVITY_CHANGED, { deviceIds: ids(7), connectivity: 'offline' });
  });

  it('starts a new pass once the previous one has finished', async () => {
    const markSilentDevicesOffline = jest.fn().mockResolvedValueOnce(ids(2)).mockResolvedValueOnce([]);
    const sweeper = new ConnectivitySweeper({ markSilentDevicesOffline } as unknown as HeartbeatRepository, metrics, config, events);

    expect(await sweeper.sweep()).toBe(2);
    expect(await sweeper.sweep()).toBe(0);
    expect(markSilentDevicesOffline).toHaveBeenCalledTimes(2);
  });

  it('reports a failed pass as zero and lets the next one run', async () => {
    const markSilentDevicesOffline = jest.fn().mockRejectedValueOnce(new Error('canceling statement due to lock timeout')).mockResolvedValueOnce(ids(3));
    const sweeper = new ConnectivitySweeper({ markSilentDevicesOffline } as unknown as HeartbeatRepository, metrics, config, events);

    expect(await sweeper.sweep()).toBe(0);
    expect(await sweeper.sweep()).toBe(3);
  });
});
