/**
 * Smoke test of the embedded default, as a newcomer runs it: start the built service as `npm start` does
 * with no database or broker configured, then health, register a device, send one heartbeat
 * over MQTT with issued device credentials, and read it back through the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { freePort, waitFor } from '../bench/lib/timing';
import { startBuiltService } from './lib/built-service';

async function main(): Promise<void> {
  const mqttPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'iomt-smoke-'));
  try {
    const service = await startBuiltService({ MQTT_PORT: String(mqttPort), DATA_DIR: dataDir, DATABASE_URL: '', MQTT_URL: '' });
    try {
      const { api } = service;
      console.log(`smoke: healthy after ${service.startedMs} ms`);

      const manufacturer = await api('POST', '/api/v1/manufacturers', { name: 'Smoke Medical' });
      const model = await api('POST', '/api/v1/models', { manufacturerId: manufacturer.id, modelNumber: 'SM-1', name: 'Smoke Pump', category: 'facility' });
      const device = await api('POST', '/api/v1/devices', { modelId: model.id, serialNumber: 'SMOKE-1', firmwareVersion: '1.0.0' });
      const credentials = await api('POST', `/api/v1/devices/${device.id}/credentials`);

      const mqtt = await connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { username: credentials.username, password: credentials.password, reconnectPeriod: 0 });
      const published = Date.now();
      await mqtt.publishAsync(`iomt/v1/devices/${device.id}/heartbeat`, JSON.stringify({ firmwareVersion: '1.0.1', batteryPercent: 90 }), { qos: 1 });
      await mqtt.endAsync();

      const seen = await waitFor(
        'the heartbeat, through the API',
        async () => {
          const current = await api('GET', `/api/v1/devices/${device.id}`);
          return current.lastSeenAt && current.firmwareVersion === '1.0.1' ? current : undefined;
        },
        5000,
      );
      console.log(`smoke: heartbeat visible after ${Date.now() - published} ms; connectivity=${seen.connectivity}`);
      console.log('smoke: 1 passed, 0 failed');
    } finally {
      await service.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`smoke: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  console.error('smoke: 0 passed, 1 failed');
  process.exit(1);
});
