import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { AddressInfo } from 'node:net';
import { connect, connectAsync } from 'mqtt';
import request from 'supertest';
import { EmbeddedBroker } from '../src/mqtt/embedded-broker';
import { EMBEDDED_BROKER } from '../src/mqtt/mqtt.module';
import { MqttConnection } from '../src/mqtt/mqtt-connection';
import { createDevice, seedModel } from './factories/inventory.factory';
import { connectDevice, eventually, heartbeatTopic, publishHeartbeat } from './support/mqtt-device';
import { buildService, freePort } from './support/service-process';
import { makeTestCertificates, TestCertificates } from './support/test-certificates';
import { AuthedAgent, startTestApp, TestApp } from './support/test-app';

/** Where the request ended: a status code, or the error that ended it without an answer. */
function plainHttpGet(url: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = httpGet(url, (res) => {
      res.resume();
      resolve({ status: res.statusCode });
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
  });
}

function httpsGetTrusting(url: string, ca: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
}

/** Whether a plaintext MQTT client gets a CONNACK from this port or is cut off first. */
function plaintextOutcome(url: string): Promise<'connected' | 'refused'> {
  const client = connect(url, { reconnectPeriod: 0, connectTimeout: 5000 });
  client.on('error', () => undefined);
  return new Promise((resolve) => {
    client.once('connect', () => resolve('connected'));
    client.once('close', () => resolve('refused'));
  }).finally(() => client.end(true)) as Promise<'connected' | 'refused'>;
}

function mosquittoPub(args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile('mosquitto_pub', args, { timeout: 15_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`mosquitto_pub failed: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

// Always the embedded broker: its TLS listener is what this file proves.
describe('TLS on the embedded default (TLS_CERT_FILE and TLS_KEY_FILE set)', () => {
  let certs: TestCertificates;
  let t: TestApp;
  let https: { api: (key?: string) => AuthedAgent };
  let modelId: string;
  let tlsPort: number;
  let plaintextPort: number;
  let httpPort: number;

  beforeAll(async () => {
    certs = makeTestCertificates();
    plaintextPort = await freePort();
    t = await startTestApp({
      env: {
        MQTT_URL: '',
        MQTT_ALLOW_ANONYMOUS: 'false',
        MQTT_PORT: String(plaintextPort),
        MQTT_TLS_PORT: '0',
        TLS_CERT_FILE: certs.certFile,
        TLS_KEY_FILE: certs.keyFile,
        TLS_CA_FILE: certs.caFile,
      },
    });
    await t.app.listen(0, '127.0.0.1');
    httpPort = (t.app.getHttpServer().address() as AddressInfo).port;
    tlsPort = t.app.get<EmbeddedBroker>(EMBEDDED_BROKER).tlsPort;
    // Every request over HTTPS, trusting only the test CA.
    const server = t.app.getHttpServer();
    https = {
      api: (key = t.adminKey) => {
        const authed = (method: keyof AuthedAgent) => (path: string) => request(server)[method](path).ca(certs.ca).set('Authorization', `Bearer ${key}`);
        return { get: authed('get'), post: authed('post'), patch: authed('patch'), put: authed('put'), delete: authed('delete') };
      },
    };
    ({ modelId } = await seedModel(https));
  });
  afterAll(async () => {
    await t?.close();
    certs?.remove();
  });

  const deviceWithCredentials = async () => {
    const device = await createDevice(https, modelId, { firmwareVersion: '1.0' });
    const creds = (await https.api().post(`/api/v1/devices/${device.id}/credentials`).expect(201)).body as { username: string; password: string };
    return { device, creds };
  };
  const firmwareOf = async (deviceId: string) => (await https.api().get(`/api/v1/devices/${deviceId}`).expect(200)).body.firmwareVersion;

  it('serves the API over HTTPS with the configured certificate, and answers nothing over plaintext HTTP', async () => {
    expect(await httpsGetTrusting(`https://127.0.0.1:${httpPort}/health`, certs.ca)).toBe(200);
    await https.api().get('/api/v1/devices').expect(200);
    const plain = await plainHttpGet(`http://127.0.0.1:${httpPort}/health`);
    expect(plain.status).toBeUndefined();
    expect(plain.error).toBeDefined();
  });

  it('connects the service to its own broker over TLS, never plaintext', async () => {
    const connection = t.app.get(MqttConnection);
    expect(connection.connected).toBe(true);
    expect(connection.client.options.protocol).toBe('mqtts');
    await https.api().get('/health').expect(200);
  });

  it('accepts a device over MQTT/TLS with MQTT.js trusting the CA, and its heartbeat is applied', async () => {
    const { device, creds } = await deviceWithCredentials();
    const client = await connectDevice(`mqtts://127.0.0.1:${tlsPort}`, { ca: certs.ca, username: creds.username, password: creds.password });
    await publishHeartbeat(client, device.id, { firmwareVersion: '1.1' });
    await client.endAsync();
    await eventually(async () => expect(await firmwareOf(device.id)).toBe('1.1'));
  });

  it('accepts a heartbeat from mosquitto_pub --cafile', async () => {
    const { device, creds } = await deviceWithCredentials();
    await mosquittoPub([
      '-h',
      '127.0.0.1',
      '-p',
      String(tlsPort),
      '--cafile',
      certs.caFile,
      '-u',
      creds.username,
      '-P',
      creds.password,
      '-i',
      `pub-${device.id.slice(0, 8)}`,
      '-q',
      '1',
      '-t',
      heartbeatTopic(device.id),
      '-m',
      JSON.stringify({ firmwareVersion: '1.4' }),
    ]);
    await eventually(async () => expect(await firmwareOf(device.id)).toBe('1.4'));
  });

  it('refuses a client that does not trust the certificate', async () => {
    const { creds } = await deviceWithCredentials();
    await expect(
      connectAsync(`mqtts://127.0.0.1:${tlsPort}`, { reconnectPeriod: 0, connectTimeout: 5000, username: creds.username, password: creds.password }),
    ).rejects.toThrow(/certificate/i);
  });

  it('releases the login slot of each TLS connection: 20 devices in a row log in over TLS', async () => {
    const { creds } = await deviceWithCredentials();
    for (let i = 0; i < 20; i++) {
      const client = await connectDevice(`mqtts://127.0.0.1:${tlsPort}`, { ca: certs.ca, username: creds.username, password: creds.password });
      await client.endAsync();
    }
  });

  it('refuses plaintext MQTT: nothing listens on MQTT_PORT, and plaintext on the TLS port gets no CONNACK', async () => {
    await expect(connectAsync(`mqtt://127.0.0.1:${plaintextPort}`, { reconnectPeriod: 0, connectTimeout: 5000 })).rejects.toThrow(/ECONNREFUSED/);
    expect(await plaintextOutcome(`mqtt://127.0.0.1:${tlsPort}`)).toBe('refused');
  });
});

describe('TLS with MQTT_ALLOW_PLAINTEXT=true', () => {
  let certs: TestCertificates;
  let t: TestApp;

  beforeAll(async () => {
    certs = makeTestCertificates();
    t = await startTestApp({
      env: {
        MQTT_URL: '',
        MQTT_ALLOW_ANONYMOUS: 'true',
        MQTT_TLS_PORT: '0',
        TLS_CERT_FILE: certs.certFile,
        TLS_KEY_FILE: certs.keyFile,
        TLS_CA_FILE: certs.caFile,
        MQTT_ALLOW_PLAINTEXT: 'true',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    certs?.remove();
  });

  it('keeps a plaintext listener on MQTT_PORT beside the TLS one; the service itself still uses TLS', async () => {
    const broker = t.app.get<EmbeddedBroker>(EMBEDDED_BROKER);
    expect(await plaintextOutcome(`mqtt://127.0.0.1:${broker.port}`)).toBe('connected');
    const overTls = await connectAsync(`mqtts://127.0.0.1:${broker.tlsPort}`, { reconnectPeriod: 0, connectTimeout: 5000, ca: certs.ca });
    await overTls.endAsync();
    expect(t.app.get(MqttConnection).client.options.protocol).toBe('mqtts');
  });
});

describe('a bad TLS configuration', () => {
  let certs: TestCertificates;
  let other: TestCertificates;
  beforeAll(async () => {
    certs = makeTestCertificates();
    other = makeTestCertificates();
    await buildService();
  }, 180_000);
  afterAll(() => {
    certs?.remove();
    other?.remove();
  });

  it('stops the built service with exit code 78, naming the variable', async () => {
    const child = spawn(process.execPath, [resolve(__dirname, '../dist/src/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        DATA_DIR: 'memory://',
        PORT: '0',
        MQTT_PORT: '0',
        MQTT_TLS_PORT: '0',
        TLS_CERT_FILE: certs.certFile,
        TLS_KEY_FILE: other.keyFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    // A service that does not refuse the configuration would run on: stop it rather than leave it behind.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code] = await once(child, 'exit');
    clearTimeout(guard);
    expect(code).toBe(78);
    expect(stderr).toMatch(/TLS_KEY_FILE=.*is not the private key of TLS_CERT_FILE's certificate/);
  });
});
