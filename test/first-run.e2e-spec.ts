import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/mqtt-device';
import { buildService, freePort, runBuilt, ServiceProcess } from './support/service-process';

const HOST = '127.0.0.1';

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, HOST, ok);
  });
  return server;
}

/**
 * A newcomer's first run, as `npm start` runs it: the embedded default (PGlite on disk, Aedes),
 * in its own process.
 */
describe('first run of the embedded default', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'iomt-first-run-'));

  beforeAll(async () => {
    await buildService();
  }, 120_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('a port already taken', () => {
    it.each([
      ['MQTT_PORT', /MQTT_PORT/, /MQTT_URL/],
      ['PORT', /\bPORT\b/, /PORT=/],
    ])('%s: exits 78 with one line naming the variable, and makes no data directory', async (variable, names, howTo) => {
      const taken = await freePort();
      const blocker = await occupy(taken);
      const dataDir = join(scratch, `data-${variable}`);
      try {
        const env = {
          HOST,
          PORT: String(variable === 'PORT' ? taken : await freePort()),
          MQTT_PORT: String(variable === 'MQTT_PORT' ? taken : await freePort()),
          DATA_DIR: dataDir,
        };
        const run = await runBuilt('dist/src/main.js', [], env);
        expect(run.code).toBe(78);
        const lines = run.stderr.trim().split('\n');
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(names);
        expect(lines[0]).toContain(String(taken));
        expect(lines[0]).toMatch(howTo);
        expect(run.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
        expect(existsSync(dataDir)).toBe(false);
      } finally {
        await new Promise((ok) => blocker.close(ok));
      }
    });
  });

  describe('running', () => {
    const adminKey = `first_run_admin_${randomBytes(16).toString('hex')}`;
    let service: ServiceProcess;
    let httpPort: number;
    let mqttPort: number;

    beforeAll(async () => {
      httpPort = await freePort();
      mqttPort = await freePort();
      service = await ServiceProcess.start(
        {
          HOST,
          PORT: String(httpPort),
          MQTT_PORT: String(mqttPort),
          DATA_DIR: join(scratch, 'data-running'),
          IOMT_BOOTSTRAP_ADMIN_KEY: adminKey,
          LOG_LEVEL: 'info',
          // A first boot creates the PGlite cluster and runs every migration: on a busy shared
          // machine that alone has taken 20-30 s.
        },
        90_000,
      );
    }, 120_000);

    afterAll(async () => {
      await service?.stop();
    });

    const lineWith = (log: string, msg: string): Record<string, unknown> | undefined =>
      log
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => parseLogLine(l, log))
        .find((l) => l.msg === msg);

    it('says where it listens in the "service ready" line: HTTP, docs and MQTT', () => {
      const ready = lineWith(service.log, 'service ready');
      expect(ready).toMatchObject({
        http: `http://${HOST}:${httpPort}/api/v1`,
        docs: `http://${HOST}:${httpPort}/docs`,
        mqtt: `mqtt://${HOST}:${mqttPort}`,
      });
    });

    it('logs each request in one short line: request id, method, url, status and time', async () => {
      const res = await service.api(adminKey).get('/api/v1/devices?limit=1').set('X-Request-Id', 'first-run-req-1').expect(200);
      expect(res.headers['x-request-id']).toBe('first-run-req-1');
      const { value: raw } = await eventually(async () => {
        const found = service.log.split('\n').find((l) => l.includes('"first-run-req-1"') && l.includes('request completed'));
        if (!found) throw new Error('no request line yet');
        return found;
      }, 5000);
      const line = JSON.parse(raw) as { req: Record<string, unknown>; res: Record<string, unknown>; responseTime: number };
      expect(line.req).toEqual({ id: 'first-run-req-1', method: 'GET', url: '/api/v1/devices?limit=1' });
      expect(line.res).toEqual({ statusCode: 200 });
      expect(typeof line.responseTime).toBe('number');
      expect(Buffer.byteLength(raw)).toBeLessThan(400);
    });

    describe('the fleet simulator of the README', () => {
      const simulate = (args: string[], env: Record<string, string> = {}) =>
        runBuilt('dist/scripts/simulate.js', args, { ...env, IOMT_API_URL: `http://${HOST}:${httpPort}`, SIM_MQTT_URL: `mqtt://${HOST}:${mqttPort}` });

      it('lists its options with --help', async () => {
        const run = await simulate(['--help']);
        expect(run.code).toBe(0);
        for (const option of ['--devices', '--rate', '--duration', '--key', '--api-url', '--mqtt-url', '--auth', 'IOMT_API_KEY'])
          expect(run.stdout).toContain(option);
      });

      it('without a key, says how to give one', async () => {
        const run = await simulate(['--devices', '1']);
        expect(run.code).toBe(64);
        expect(run.stderr).toMatch(/--key .*IOMT_API_KEY/);
      });

      it('with the admin key, registers its devices, issues their credentials and their heartbeats arrive', async () => {
        const run = await simulate(['--devices', '20', '--rate', '20', '--duration', '4'], { IOMT_API_KEY: adminKey });
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('20 devices (20 new)');
        expect(run.stdout).toContain('20 devices connected');
        const [, sent, acked] = /stopped after (\d+) heartbeats, (\d+) acknowledged, 0 failed/.exec(run.stdout) ?? [];
        expect(Number(sent)).toBeGreaterThan(0);
        expect(Number(acked)).toBe(Number(sent));
        const api = service.api(adminKey);
        const { value: devices } = await eventually(
          async () => {
            const page = await api.get('/api/v1/devices?limit=100').expect(200);
            const simulated = (page.body.items as Array<{ serialNumber: string; lastSeenAt: string | null }>).filter((d) => d.serialNumber.startsWith('SIM-'));
            const seen = simulated.filter((d) => d.lastSeenAt).length;
            if (simulated.length !== 20 || seen !== 20)
              throw new Error(`${seen} of ${simulated.length} simulated devices seen; the simulator said:\n${run.stdout}`);
            return simulated;
          },
          10_000,
          200,
        );
        expect(devices).toHaveLength(20);
      }, 60_000);
    });

    it('logs a line when it stops', async () => {
      await service.stop();
      expect(service.running).toBe(false);
      expect(lineWith(service.log, 'service stopped')).toMatchObject({ signal: 'SIGTERM' });
    });
  });
});

/**
 * Every line of the service's output that opens like a JSON object must be one (log shippers
 * parse them). Seen once in a full embedded run under load: a line starting '{' that was not
 * JSON, at the stop; the failure now shows it and the output around it.
 */
function parseLogLine(line: string, log: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`a log line is not JSON (${(e as Error).message}): ${JSON.stringify(line)}\n--- the output's last 4,000 characters:\n${log.slice(-4000)}`);
  }
}
