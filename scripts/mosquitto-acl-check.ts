/**
 * Checks docker/mosquitto's production set-up on a real Mosquitto: its mosquitto.conf (no
 * anonymous clients, password file, ACL) and its acl file, with the built service as the
 * `iomt-service` account and devices logging in with the credentials the API issues.
 * Run by .ci/run; needs the `mosquitto` and `mosquitto_passwd` binaries.
 *
 * Proves: anonymous and wrong-password clients are refused; a device's own heartbeat arrives;
 * a heartbeat a device publishes on another device's topic is dropped by the broker; a device
 * that connects with the service's client id does not take over the service's session.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectAsync } from 'mqtt';
import { freePort, sleep, waitFor } from '../bench/lib/timing';
import { startBuiltService } from './lib/built-service';

const DOCKER_MOSQUITTO = resolve('docker', 'mosquitto');
const SERVICE_CLIENT_ID = 'iomt-acl-check';
// Paths, listener, persistence and logging belong to the container; everything else is kept.
const LOCAL_KEYS = new Set([
  'listener',
  'port',
  'password_file',
  'acl_file',
  'persistence',
  'persistence_location',
  'autosave_interval',
  'log_dest',
  'log_type',
  'log_timestamp_format',
  'connection_messages',
]);

function brokerConfig(dir: string, port: number): string {
  const kept = readFileSync(join(DOCKER_MOSQUITTO, 'mosquitto.conf'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.trim().startsWith('#') && !LOCAL_KEYS.has(line.trim().split(/\s+/)[0]));
  // The listener first: listener options in the file (use_username_as_clientid) follow its own
  // `listener` line, dropped here, and must bind to this one rather than open a default listener.
  return [
    `listener ${port} 127.0.0.1`,
    ...kept,
    `password_file ${join(dir, 'passwords')}`,
    `acl_file ${join(DOCKER_MOSQUITTO, 'acl')}`,
    'persistence false',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n');
}

function addLogin(dir: string, username: string, password: string): void {
  execFileSync('mosquitto_passwd', ['-b', join(dir, 'passwords'), username, password]);
  // Mosquitto started as root reads its files as the mosquitto user.
  chmodSync(join(dir, 'passwords'), 0o644);
}

async function refused(url: string, options: { username?: string; password?: string }): Promise<boolean> {
  return connectAsync(url, { ...options, reconnectPeriod: 0, connectTimeout: 5000 }).then(
    async (c) => (await c.endAsync(), false),
    () => true,
  );
}

/**
 * Were the client id a device sends honoured, its connection with the service's id would end the
 * service's connection; the service would reconnect at once and end the device's in turn. So the
 * device's connection surviving, with the service healthy all along, shows neither was taken over.
 */
async function deviceCannotTakeOverService(url: string, creds: { username: string; password: string }, serviceBase: string, clientId: string): Promise<void> {
  const hostile = await connectAsync(url, { username: creds.username, password: creds.password, clientId, reconnectPeriod: 0 });
  let closed = false;
  hostile.on('close', () => (closed = true));
  try {
    for (let i = 0; i < 20; i++) {
      const health = await fetch(`${serviceBase}/health`);
      if (!health.ok) throw new Error(`the service lost its broker connection to a device using its client id: /health ${health.status}`);
      if (closed) throw new Error("a device using the service's client id was thrown off: the two sessions are fighting over one id");
      await sleep(100);
    }
  } finally {
    await hostile.endAsync();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'iomt-acl-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  const servicePassword = `svc-${Date.now()}-${Math.random()}`;
  writeFileSync(join(dir, 'passwords'), '');
  addLogin(dir, 'iomt-service', servicePassword);
  writeFileSync(join(dir, 'mosquitto.conf'), brokerConfig(dir, port));
  const broker: ChildProcess = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitFor(
      'mosquitto to accept connections',
      async () => ((await refused(url, { username: 'iomt-service', password: servicePassword })) ? undefined : true),
      10_000,
      100,
    );
    const service = await startBuiltService({
      DATA_DIR: 'memory://',
      DATABASE_URL: '',
      MQTT_URL: url,
      MQTT_USERNAME: 'iomt-service',
      MQTT_PASSWORD: servicePassword,
      MQTT_CLIENT_ID: SERVICE_CLIENT_ID,
    });
    try {
      const { api } = service;
      const manufacturer = await api('POST', '/api/v1/manufacturers', { name: 'ACL Medical' });
      const model = await api('POST', '/api/v1/models', { manufacturerId: manufacturer.id, modelNumber: 'ACL-1', name: 'ACL Pump', category: 'facility' });
      const [attacker, victim] = [
        await api('POST', '/api/v1/devices', { modelId: model.id, serialNumber: 'ACL-A', firmwareVersion: '1.0' }),
        await api('POST', '/api/v1/devices', { modelId: model.id, serialNumber: 'ACL-V', firmwareVersion: '1.0' }),
      ];
      const creds = await api('POST', `/api/v1/devices/${attacker.id}/credentials`);
      addLogin(dir, creds.username, creds.password);
      broker.kill('SIGHUP'); // Mosquitto re-reads the password file and the ACL

      if (!(await refused(url, {}))) throw new Error('an anonymous client was accepted');
      if (!(await refused(url, { username: attacker.id, password: 'wrong' }))) throw new Error('a wrong password was accepted');
      const device = await waitFor(
        'the issued credentials to be accepted after SIGHUP',
        () => connectAsync(url, { username: creds.username, password: creds.password, reconnectPeriod: 0 }).catch(() => undefined),
        5000,
        100,
      );
      // One client's messages reach the service in order: once the own heartbeat is applied,
      // the forged one, published first, would have been too.
      await device.publishAsync(`iomt/v1/devices/${victim.id}/heartbeat`, JSON.stringify({ firmwareVersion: '6.6.6' }), { qos: 1 });
      await device.publishAsync(`iomt/v1/devices/${attacker.id}/heartbeat`, JSON.stringify({ firmwareVersion: '1.1' }), { qos: 1 });
      await device.endAsync();
      await waitFor(
        "the device's own heartbeat, through the API",
        async () => ((await api('GET', `/api/v1/devices/${attacker.id}`)).firmwareVersion === '1.1' ? true : undefined),
        5000,
      );
      await sleep(300);
      const after = await api('GET', `/api/v1/devices/${victim.id}`);
      if (after.firmwareVersion !== '1.0' || after.lastSeenAt !== null) throw new Error(`the forged heartbeat reached the victim: ${JSON.stringify(after)}`);
      // The id the service sends, and the account name Mosquitto names its session by.
      for (const id of [SERVICE_CLIENT_ID, 'iomt-service']) await deviceCannotTakeOverService(url, creds, service.base, id);
      console.log(
        "mosquitto-acl: anonymous and wrong password refused; own heartbeat applied; heartbeat on another device's topic dropped; service session not taken over",
      );
      console.log('mosquitto-acl: 1 passed, 0 failed');
    } finally {
      await service.stop();
    }
  } finally {
    broker.kill('SIGTERM');
    await new Promise((r) => (broker.exitCode !== null ? r(null) : broker.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`mosquitto-acl: FAILED: ${e instanceof Error ? e.message : String(e)}`);
  console.error('mosquitto-acl: 0 passed, 1 failed');
  process.exit(1);
});
