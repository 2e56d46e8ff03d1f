/**
 * One MQTT.js publisher in its own thread (so 2-4 of them can keep the broker busy on 2 cores
 * without sharing an event loop with the bench's polling). Connects, says "ready", publishes
 * its job on "go" with a bounded window of in-flight QoS 1 messages, reports, exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { connectAsync, MqttClient } from 'mqtt';
import { heartbeatPayload, PublishJob, PublishResult, WorkerInput } from './publish';

const input = workerData as WorkerInput;

class Window {
  inflight = 0;
  acked = 0;
  errors = 0;
  lastAckMs = 0;
  private waiter: (() => void) | null = null;

  constructor(
    private readonly client: MqttClient,
    private readonly size: number,
  ) {}

  get full(): boolean {
    return this.inflight >= this.size;
  }

  send(topic: string, payload: string): void {
    this.inflight++;
    this.client.publish(topic, payload, { qos: 1 }, (err) => {
      this.inflight--;
      if (err) this.errors++;
      else this.acked++;
      this.lastAckMs = Date.now();
      const w = this.waiter;
      this.waiter = null;
      w?.();
    });
  }

  /** Resolves when a slot is free (or, with `all`, when nothing is in flight). */
  async wait(all = false): Promise<void> {
    while (all ? this.inflight > 0 : this.full) await new Promise<void>((resolve) => (this.waiter = resolve));
  }
}

async function rounds(client: MqttClient, job: Extract<PublishJob, { kind: 'rounds' }>, result: PublishResult): Promise<Window> {
  const w = new Window(client, input.window);
  for (let k = job.firstRound; k < job.firstRound + job.rounds; k++) {
    const sentAt = new Date(job.baseSentAtMs + k * 1000).toISOString();
    const firmware = k < (job.firmwareFromRound ?? 0) ? (job.stableFirmware ?? `${job.firmwarePrefix}0`) : `${job.firmwarePrefix}${k}`;
    for (let d = 0; d < input.devices.length; d++) {
      if (w.full) await w.wait();
      const [id, serial] = input.devices[d];
      if (!result.firstPublishMs) result.firstPublishMs = Date.now();
      w.send(`${input.topicPrefix}/${id}/heartbeat`, heartbeatPayload(firmware, sentAt, serial, d));
      result.published++;
    }
  }
  return w;
}

async function paced(client: MqttClient, job: Extract<PublishJob, { kind: 'paced' }>, result: PublishResult): Promise<Window> {
  const w = new Window(client, input.window);
  const started = Date.now();
  result.firstPublishMs = started;
  let d = 0;
  let seq = 0;
  // What each device last reported: the heartbeats between firmware changes repeat it.
  const firmware: string[] = input.devices.map((x) => x[2] ?? job.baseFirmware);
  while (Date.now() - started < job.durationMs) {
    const due = Math.floor(((Date.now() - started) * job.ratePerSec) / 1000) - result.published;
    const silent = job.silence !== undefined && Date.now() - started > job.silence.afterMs;
    for (let n = 0; n < due; n++) {
      // A silent device's turn goes to the next one: the rate stays what was asked.
      if (silent && d % job.silence!.every === 0) d = (d + 1) % input.devices.length;
      // The paced phase measures latency: never queue behind a full window, count the shortfall.
      if (w.full) {
        result.skipped += due - n;
        result.published += due - n;
        break;
      }
      const [id, serial] = input.devices[d];
      const now = Date.now();
      if (seq++ % job.firmwareChangeEvery === 0) firmware[d] = `${job.firmwareMajor}.${now}.${input.index}-${seq}`;
      w.send(`${input.topicPrefix}/${id}/heartbeat`, heartbeatPayload(firmware[d], new Date(now).toISOString(), serial, d));
      result.published++;
      d = (d + 1) % input.devices.length;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  result.published -= result.skipped;
  return w;
}

async function main(): Promise<void> {
  const client = await connectAsync(input.url, { clientId: input.clientId, clean: true, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000 });
  const result: PublishResult = { published: 0, acked: 0, errors: 0, skipped: 0, firstPublishMs: 0, lastAckMs: 0 };
  parentPort!.postMessage({ type: 'ready' });
  const job = await new Promise<PublishJob>((resolve) => parentPort!.once('message', (m: PublishJob) => resolve(m)));
  const w = job.kind === 'rounds' ? await rounds(client, job, result) : await paced(client, job, result);
  await w.wait(true);
  Object.assign(result, { acked: w.acked, errors: w.errors, lastAckMs: w.lastAckMs });
  await client.endAsync();
  parentPort!.postMessage({ type: 'done', result });
}

main().catch((e: unknown) => {
  parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
});
