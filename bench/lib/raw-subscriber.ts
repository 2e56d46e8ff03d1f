/**
 * The baseline: a bare MQTT.js subscriber in its own process (as the service is), QoS 1, clean
 * session, MQTT.js's default automatic PUBACK, no work per message but counting. Forked by
 * bench/lib/raw-baseline.ts; reports over IPC.
 */
import { connectAsync } from 'mqtt';

interface Args {
  url: string;
  topic: string;
  expected: number;
  timeoutMs: number;
}

async function main(): Promise<void> {
  const a = JSON.parse(process.argv[2]) as Args;
  const client = await connectAsync(a.url, { clientId: `bench-raw-${process.pid}`, clean: true, protocolVersion: 4, reconnectPeriod: 0 });
  let received = 0;
  let firstMs = 0;
  let lastMs = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  client.on('message', () => {
    const now = Date.now();
    if (!received) firstMs = now;
    lastMs = now;
    if (++received >= a.expected) finish();
  });
  await client.subscribeAsync(a.topic, { qos: 1 });
  process.send!({ type: 'ready' });
  const timer = setTimeout(finish, a.timeoutMs);
  await finished;
  clearTimeout(timer);
  // Let the last PUBACKs go out before leaving.
  await client.endAsync();
  const cpu = process.cpuUsage();
  process.send!({ type: 'done', received, firstMs, lastMs, cpuSeconds: (cpu.user + cpu.system) / 1e6 }, () => process.exit(0));
}

main().catch((e: unknown) => {
  process.send?.({ type: 'error', message: e instanceof Error ? e.message : String(e) }, () => process.exit(1));
});
