import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Cleanup } from './cleanup';

/**
 * `rounds`: for k in [firstRound, firstRound + rounds): every device of the worker once, with
 * firmware `<firmwarePrefix><k>` and sentAt = baseSentAtMs + k s (increasing per device). Rounds
 * before `firmwareFromRound` (when given) keep firmware `stableFirmware` (default
 * `<firmwarePrefix>0`): a fleet whose firmware does not change, which is what nearly every real
 * heartbeat looks like.
 * `paced`: ratePerSec for durationMs, devices round-robin, sentAt = publish time. One heartbeat
 * in `firmwareChangeEvery` brings a firmware version that is unique and carries that time
 * (`<major>.<sentAt ms>.<worker>-<seq>`); the others repeat the device's last one (at first
 * `baseFirmware`), so they change nothing but presence.
 */
export type PublishJob =
  | { kind: 'rounds'; firstRound: number; rounds: number; baseSentAtMs: number; firmwarePrefix: string; firmwareFromRound?: number; stableFirmware?: string }
  | {
      kind: 'paced';
      ratePerSec: number;
      durationMs: number;
      firmwareMajor: string;
      firmwareChangeEvery: number;
      baseFirmware: string;
      /** Devices at positions `every`, 2 x `every`, ... of each worker's list fall silent after `afterMs` (the offline sweep's subjects). */
      silence?: { every: number; afterMs: number };
    };

export interface WorkerInput {
  url: string;
  clientId: string;
  index: number;
  topicPrefix: string;
  window: number;
  /** With a firmware, a device's routine heartbeats repeat it instead of the job's `baseFirmware`. */
  devices: Array<[id: string, serial: string, firmware?: string]>;
}

export interface PublishResult {
  /** Messages handed to MQTT.js. */
  published: number;
  /** PUBACKs received from the broker. */
  acked: number;
  errors: number;
  /** Paced only: messages not sent because the window was full (the publisher fell behind). */
  skipped: number;
  firstPublishMs: number;
  lastAckMs: number;
}

/** The heartbeat the contract describes (about 150 bytes), identical for the raw baseline. */
export function heartbeatPayload(firmwareVersion: string, sentAt: string, serialNumber: string, i: number): string {
  return `{"firmwareVersion":"${firmwareVersion}","sentAt":"${sentAt}","serialNumber":"${serialNumber}","batteryPercent":${20 + (i % 80)},"ipAddress":"10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}"}`;
}

export interface PublisherOptions {
  url: string;
  label: string;
  publishers: number;
  window: number;
  topicPrefix: string;
  ids: string[];
  serials: string[];
  /** Each device's current firmware (paced jobs repeat it); absent: the job's `baseFirmware`. */
  firmware?: string[];
}

/**
 * N publisher threads, each owning the devices i with i % N == its index (so one device's
 * heartbeats leave from one connection, in order). `connect()` resolves when all are connected;
 * `run(job)` starts them together and resolves with the sum of their results.
 */
export class Publishers {
  private constructor(
    private readonly workers: Worker[],
    private readonly timeoutMs: number,
  ) {}

  static async connect(cleanup: Cleanup, o: PublisherOptions, timeoutMs: number): Promise<Publishers> {
    const workers: Worker[] = [];
    cleanup.add(`publishers ${o.label}`, async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    });
    const ready: Promise<void>[] = [];
    for (let index = 0; index < o.publishers; index++) {
      const devices: WorkerInput['devices'] = [];
      for (let i = index; i < o.ids.length; i += o.publishers) devices.push(o.firmware ? [o.ids[i], o.serials[i], o.firmware[i]] : [o.ids[i], o.serials[i]]);
      const input: WorkerInput = { url: o.url, clientId: `bench-pub-${o.label}-${index}`, index, topicPrefix: o.topicPrefix, window: o.window, devices };
      const worker = new Worker(join(__dirname, 'publish-worker.js'), { workerData: input });
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', (m: { type: string; message?: string }) =>
            m.type === 'ready' ? resolve() : reject(new Error(`publisher ${index}: ${m.message}`)),
          );
          worker.once('error', reject);
        }),
      );
    }
    await withTimeout(Promise.all(ready), 15_000, 'publishers to connect');
    return new Publishers(workers, timeoutMs);
  }

  async run(job: PublishJob): Promise<PublishResult> {
    const done = this.workers.map(
      (worker, index) =>
        new Promise<PublishResult>((resolve, reject) => {
          worker.on('message', (m: { type: string; result?: PublishResult; message?: string }) => {
            if (m.type === 'done') resolve(m.result!);
            else if (m.type === 'error') reject(new Error(`publisher ${index}: ${m.message}`));
          });
          worker.once('error', reject);
        }),
    );
    for (const w of this.workers) w.postMessage(job);
    const results = await withTimeout(Promise.all(done), this.timeoutMs, 'publishers to finish');
    await Promise.all(this.workers.map((w) => w.terminate()));
    return {
      published: sum(results, (r) => r.published),
      acked: sum(results, (r) => r.acked),
      errors: sum(results, (r) => r.errors),
      skipped: sum(results, (r) => r.skipped),
      firstPublishMs: Math.min(...results.map((r) => r.firstPublishMs).filter((x) => x > 0)),
      lastAckMs: Math.max(...results.map((r) => r.lastAckMs)),
    };
  }
}

const sum = <T>(xs: T[], f: (x: T) => number): number => xs.reduce((a, x) => a + f(x), 0);

export async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
