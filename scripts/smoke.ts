/**
 * Smoke test of the embedded default, as a newcomer runs it: start `node dist/src/main.js`
 * with no database or broker configured, then health, register a device, send one heartbeat
 * over MQTT with issued device credentials, and read it back through the API.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function main(): Promise<void> {
  const [port, mqttPort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'iomt-smoke-'));
  const adminKey = `iomt_smoke_${randomBytes(16).toString('hex')}`;
  const started = Date.now();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', MQTT_PORT: String(mqttPort), DATA_DIR: dataDir, IOMT_BOOTSTRAP_ADMIN_KEY: adminKey, LOG_LEVEL: 'warn', DATABASE_URL: '', MQTT_URL: '' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a smoke test reads loosely typed JSON
  const api = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(base + path, { method, headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    let healthy = false;
    for (let i = 0; i < 120 && !healthy; i++) {
      await new Promise((r) => setTimeout(r, 500));
      healthy = await fetch(`${base}/health`).then((r) => r.ok, () => false);
    }
    if (!healthy) throw new Error('service did not become healthy within 60 s');
    console.log(`smoke: healthy after ${Date.now() - started} ms`);

    const manufacturer = await api('POST', '/api/v1/manufacturers', { name: 'Smoke Medical' });
    const model = await api('POST', '/api/v1/models', { manufacturerId: manufacturer.id, modelNumber: 'SM-1', name: 'Smoke Pump', category: 'facility' });
    const device = await api('POST', '/api/v1/devices', { modelId: model.id, serialNumber: 'SMOKE-1', firmwareVersion: '1.0.0' });
    const credentials = await api('POST', `/api/v1/devices/${device.id}/credentials`);

    const mqtt = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { username: credentials.username, password: credentials.password, reconnectPeriod: 0 });
    const published = Date.now();
    await mqtt.publishAsync(`iomt/v1/devices/${device.id}/heartbeat`, JSON.stringify({ firmwareVersion: '1.0.1', batteryPercent: 90 }), { qos: 1 });
    await mqtt.endAsync();

    let seen = null;
    while (!seen && Date.now() - published < 5000) {
      const current = await api('GET', `/api/v1/devices/${device.id}`);
      if (current.lastSeenAt && current.firmwareVersion === '1.0.1') seen = current;
      else await new Promise((r) => setTimeout(r, 50));
    }
    if (!seen) throw new Error('heartbeat not visible through the API within 5 s');
    console.log(`smoke: heartbeat visible after ${Date.now() - published} ms; connectivity=${seen.connectivity}`);
    console.log('smoke: 1 passed, 0 failed');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`smoke: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  console.error('smoke: 0 passed, 1 failed');
  process.exit(1);
});
