/**
 * Fleet simulator: registers (or reuses) simulated devices through the API, issues each its own
 * MQTT credentials, connects them as real devices would and publishes their heartbeats, so a
 * newcomer sees the service work. `npm run simulate -- --help` lists the options.
 */
import { parseArgs } from 'node:util';
import { connectAsync, MqttClient } from 'mqtt';

const USAGE = `Usage: IOMT_API_KEY=<key> npm run simulate -- [options]

Registers simulated infusion pumps (model SIM-PUMP of "Simulated Medical") through the API,
issues each device its MQTT credentials, connects one MQTT client per device and publishes
QoS 1 heartbeats at the given rate. Stops --duration seconds after the fleet is connected,
or on Ctrl-C.

Options:
  --devices <n>      simulated devices (default 100); existing ones are reused
  --rate <n>         heartbeats per second, all devices together (default 50)
  --duration <s>     stop this many seconds after every device is connected (default 0: run
                     until Ctrl-C)
  --key <key>        admin or biomed API key (default: $IOMT_API_KEY), e.g. the one npm start
                     printed at first boot
  --api-url <url>    the service's HTTP address (default: $IOMT_API_URL or http://localhost:3000)
  --mqtt-url <url>   the broker (default: $SIM_MQTT_URL or mqtt://localhost:1883)
  --auth <mode>      device (default): each device its own credentials, as the embedded broker
                     and Mosquitto's ACL require; shared: one gateway account for all
                     ($SIM_MQTT_USERNAME / $SIM_MQTT_PASSWORD, or anonymous)
  --help             this text
`;

const EX_USAGE = 64;
const ISSUE_CONCURRENCY = 8;

function usageError(message: string): never {
  process.stderr.write(`simulate: ${message}\n\n${USAGE}`);
  process.exit(EX_USAGE);
}

function readOptions() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        devices: { type: 'string', default: '100' },
        rate: { type: 'string', default: '50' },
        duration: { type: 'string', default: '0' },
        key: { type: 'string' },
        'api-url': { type: 'string' },
        'mqtt-url': { type: 'string' },
        auth: { type: 'string', default: 'device' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    usageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const count = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) usageError(`--${name} must be a whole number >= ${min} (got ${JSON.stringify(raw)})`);
    return n;
  };
  const key = values.key ?? process.env.IOMT_API_KEY;
  if (!key) usageError('no API key: pass --key <key> or set IOMT_API_KEY (the admin key npm start printed at first boot)');
  if (values.auth !== 'device' && values.auth !== 'shared') usageError(`--auth must be device or shared (got ${JSON.stringify(values.auth)})`);
  return {
    devices: count('devices', values.devices, 1),
    rate: count('rate', values.rate, 1),
    durationS: count('duration', values.duration, 0),
    key,
    api: (values['api-url'] ?? process.env.IOMT_API_URL ?? 'http://localhost:3000').replace(/\/$/, ''),
    mqttUrl: values['mqtt-url'] ?? process.env.SIM_MQTT_URL ?? 'mqtt://localhost:1883',
    auth: values.auth,
  };
}

const options = readOptions();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let pacedByRateLimit = false;

/** One API call; a 429 (RATE_LIMIT_WRITES_PER_MIN) waits for its Retry-After and tries again. */
async function api<T>(method: string, path: string, body?: string, contentType = 'application/json'): Promise<T> {
  for (;;) {
    const res = await fetch(`${options.api}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${options.key}`, 'Content-Type': contentType }, body });
    if (res.status === 429) {
      const waitS = Number(res.headers.get('retry-after')) || 1;
      if (!pacedByRateLimit) console.log(`simulate: the service's write limit (RATE_LIMIT_WRITES_PER_MIN) is reached; continuing in ${waitS} s`);
      pacedByRateLimit = true;
      await sleep(waitS * 1000);
      continue;
    }
    const json = (await res.json().catch(() => null)) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
}

const post = <T>(path: string, body: unknown) => api<T>('POST', path, JSON.stringify(body));
const serialOf = (i: number) => `SIM-${String(i).padStart(6, '0')}`;

/** The simulated devices' ids; missing ones are created in one bulk import (one write, not one per device). */
async function ensureFleet(): Promise<string[]> {
  const manufacturers = await api<Array<{ id: string; name: string }>>('GET', '/manufacturers');
  const maker = manufacturers.find((m) => m.name === 'Simulated Medical') ?? (await post<{ id: string }>('/manufacturers', { name: 'Simulated Medical' }));
  const models = await api<Array<{ id: string; modelNumber: string }>>('GET', `/models?manufacturerId=${maker.id}`);
  const model =
    models.find((m) => m.modelNumber === 'SIM-PUMP') ??
    (await post<{ id: string }>('/models', { manufacturerId: maker.id, modelNumber: 'SIM-PUMP', name: 'Simulated infusion pump', category: 'facility' }));
  const existing = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ id: string; serialNumber: string }>; nextCursor: string | null } = await api(
      'GET',
      `/devices?modelId=${model.id}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
    );
    for (const d of page.items) existing.set(d.serialNumber, d.id);
    cursor = page.nextCursor;
  } while (cursor);
  const missing = Array.from({ length: options.devices }, (_, i) => i).filter((i) => !existing.has(serialOf(i)));
  if (missing.length > 0) {
    const departments = ['ICU', 'Cardiology', 'Oncology'];
    const csv =
      ['modelId,serialNumber,firmwareVersion,department', ...missing.map((i) => `${model.id},${serialOf(i)},1.0.0,${departments[i % 3]}`)].join('\n') + '\n';
    const imported = await api<{ ids: string[] }>('POST', '/devices/import', csv, 'text/csv');
    missing.forEach((i, k) => existing.set(serialOf(i), imported.ids[k]));
  }
  console.log(`simulate: ${options.devices} devices (${missing.length} new)`);
  return Array.from({ length: options.devices }, (_, i) => existing.get(serialOf(i))!);
}

interface SimulatedDevice {
  id: string;
  client: MqttClient;
}

/** Connected devices, ready to publish; filled while credentials are still being issued. */
const connected: SimulatedDevice[] = [];

/** Each device announces itself with a heartbeat as soon as it is connected, as real ones do at power-on. */
async function connectDevices(ids: string[], beat: (device: SimulatedDevice) => void): Promise<void> {
  const join = (device: SimulatedDevice) => {
    connected.push(device);
    beat(device);
  };
  if (options.auth === 'shared') {
    const client = await connectAsync(options.mqttUrl, {
      username: process.env.SIM_MQTT_USERNAME,
      password: process.env.SIM_MQTT_PASSWORD,
      reconnectPeriod: 0,
    });
    for (const id of ids) join({ id, client });
    return;
  }
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      const creds = await post<{ username: string; password: string }>(`/devices/${id}/credentials`, {});
      const client = await connectAsync(options.mqttUrl, { username: creds.username, password: creds.password, clientId: `sim-${id}`, reconnectPeriod: 1000 });
      join({ id, client });
    }
  };
  await Promise.all(Array.from({ length: ISSUE_CONCURRENCY }, worker));
  console.log(`simulate: ${connected.length} devices connected to ${options.mqttUrl}, each with its own credentials`);
}

async function main(): Promise<void> {
  const ids = await ensureFleet();
  const started = Date.now();
  let sent = 0;
  let acknowledged = 0;
  let failed = 0;
  let scheduled = 0;
  let turn = 0;
  const inFlight = new Set<Promise<unknown>>();
  const beat = ({ id, client }: SimulatedDevice) => {
    const payload = {
      firmwareVersion: Math.random() < 0.001 ? '1.0.1' : '1.0.0',
      sentAt: new Date().toISOString(),
      batteryPercent: Math.round(Math.random() * 100),
    };
    const publish = client.publishAsync(`iomt/v1/devices/${id}/heartbeat`, JSON.stringify(payload), { qos: 1 }).then(
      () => acknowledged++,
      () => failed++,
    );
    inFlight.add(publish);
    void publish.finally(() => inFlight.delete(publish));
    sent++;
  };
  const tick = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * options.rate) - scheduled;
    for (let k = 0; k < due && connected.length > 0; k++) {
      beat(connected[turn++ % connected.length]);
      scheduled++;
    }
  }, 20);
  const report = setInterval(() => console.log(`simulate: ${sent} heartbeats sent, ${acknowledged} acknowledged (${options.rate}/s target)`), 5000);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(tick);
    clearInterval(report);
    // The QoS 1 acknowledgements still on their way are part of the answer.
    await Promise.race([Promise.allSettled([...inFlight]), sleep(5000)]);
    await Promise.allSettled([...new Set(connected.map((c) => c.client))].map((c) => c.endAsync()));
    console.log(`simulate: stopped after ${sent} heartbeats, ${acknowledged} acknowledged, ${failed} failed`);
    process.exit(sent > 0 && acknowledged === 0 ? 1 : 0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await connectDevices(ids, beat);
  // Counted from a whole fleet: a busy machine may take seconds to connect a thousand devices.
  if (options.durationS > 0) setTimeout(() => void stop(), options.durationS * 1000);
}

main().catch((e) => {
  const cause = (e as { cause?: { code?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') {
    console.error(`simulate: nothing answers at ${options.api}: is the service running (npm start)? Otherwise pass --api-url`);
    process.exit(1);
  }
  const message = e instanceof Error ? e.message : String(e);
  const hint = /Not authorized|Bad username or password/i.test(message) ? " (the broker refused the device: is --mqtt-url the service's broker?)" : '';
  console.error(`simulate: ${message}${hint}`);
  process.exit(1);
});
