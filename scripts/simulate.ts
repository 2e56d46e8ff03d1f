/**
 * Fleet simulator: registers (or reuses) simulated devices through the API and publishes their
 * heartbeats to the broker, so a newcomer sees the service work.
 *
 *   IOMT_API_KEY=<admin or biomed key> npm run simulate -- --devices 1000 --rate 200 [--duration 60] [--auth shared|device]
 *
 * Environment: IOMT_API_URL (http://localhost:3000), IOMT_API_KEY (required),
 * SIM_MQTT_URL (mqtt://localhost:1883), SIM_MQTT_USERNAME / SIM_MQTT_PASSWORD (a gateway account
 * for --auth shared; none = anonymous, which the embedded broker allows only with
 * MQTT_ALLOW_ANONYMOUS=true). --auth device issues each device its own credentials and opens
 * one connection per device, as real devices would.
 */
import { parseArgs } from 'node:util';
import { connectAsync, MqttClient } from 'mqtt';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '100' },
    rate: { type: 'string', default: '50' },
    duration: { type: 'string', default: '0' },
    auth: { type: 'string', default: 'shared' },
  },
});
const DEVICES = Number(values.devices);
const RATE = Number(values.rate);
const DURATION_S = Number(values.duration);
const API = process.env.IOMT_API_URL ?? 'http://localhost:3000';
const KEY = process.env.IOMT_API_KEY;
const MQTT_URL = process.env.SIM_MQTT_URL ?? 'mqtt://localhost:1883';

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${API}/api/v1${path}`, { method, headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
  const json = (await res.json().catch(() => null)) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function ensureFleet(): Promise<string[]> {
  const manufacturers = await api<Array<{ id: string; name: string }>>('GET', '/manufacturers');
  const maker = manufacturers.find((m) => m.name === 'Simulated Medical') ?? (await api<{ id: string }>('POST', '/manufacturers', { name: 'Simulated Medical' }));
  const models = await api<Array<{ id: string; modelNumber: string }>>('GET', `/models?manufacturerId=${maker.id}`);
  const model = models.find((m) => m.modelNumber === 'SIM-PUMP') ?? (await api<{ id: string }>('POST', '/models', { manufacturerId: maker.id, modelNumber: 'SIM-PUMP', name: 'Simulated infusion pump', category: 'facility' }));
  const existing = new Map<string, string>();
  let cursor: string | null = null;
  do {
    const page: { items: Array<{ id: string; serialNumber: string }>; nextCursor: string | null } = await api('GET', `/devices?modelId=${model.id}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    for (const d of page.items) existing.set(d.serialNumber, d.id);
    cursor = page.nextCursor;
  } while (cursor);
  const ids: string[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const serial = `SIM-${String(i).padStart(6, '0')}`;
    ids.push(existing.get(serial) ?? (await api<{ id: string }>('POST', '/devices', { modelId: model.id, serialNumber: serial, firmwareVersion: '1.0.0', department: ['ICU', 'Cardiology', 'Oncology'][i % 3] })).id);
  }
  console.log(`simulate: ${ids.length} devices (${ids.length - Math.min(existing.size, DEVICES)} new)`);
  return ids;
}

async function connect(ids: string[]): Promise<(id: string) => MqttClient> {
  if (values.auth === 'device') {
    const clients = new Map<string, MqttClient>();
    for (const id of ids) {
      const creds = await api<{ username: string; password: string }>('POST', `/devices/${id}/credentials`);
      clients.set(id, await connectAsync(MQTT_URL, { username: creds.username, password: creds.password, clientId: `sim-${id}` }));
    }
    return (id) => clients.get(id)!;
  }
  const shared = await connectAsync(MQTT_URL, { username: process.env.SIM_MQTT_USERNAME, password: process.env.SIM_MQTT_PASSWORD });
  return () => shared;
}

async function main(): Promise<void> {
  if (!KEY) throw new Error('IOMT_API_KEY must be set (an admin or biomed API key)');
  const ids = await ensureFleet();
  const clientFor = await connect(ids);
  const started = Date.now();
  let sent = 0;
  const tick = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * RATE) - sent;
    for (let k = 0; k < due; k++) {
      const id = ids[sent % ids.length];
      const payload = { firmwareVersion: Math.random() < 0.001 ? '1.0.1' : '1.0.0', sentAt: new Date().toISOString(), batteryPercent: Math.round(Math.random() * 100) };
      clientFor(id).publish(`iomt/v1/devices/${id}/heartbeat`, JSON.stringify(payload), { qos: 1 });
      sent++;
    }
  }, 20);
  const report = setInterval(() => console.log(`simulate: ${sent} heartbeats sent (${RATE}/s target)`), 5000);
  const stop = () => {
    clearInterval(tick);
    clearInterval(report);
    console.log(`simulate: stopped after ${sent} heartbeats`);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  if (DURATION_S > 0) setTimeout(stop, DURATION_S * 1000);
}

main().catch((e) => {
  console.error(`simulate: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
