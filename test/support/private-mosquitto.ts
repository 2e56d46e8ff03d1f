import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './service-process';

/**
 * The limits of docker/mosquitto/mosquitto.conf that shape what a subscriber holds: a window of
 * 1,000 un-acknowledged messages per client (the service holds PUBACKs until its commit), and
 * a queue that does not drop a burst (the distribution's 1,000 would).
 */
const PRODUCTION_LIMITS = ['max_inflight_messages 1000', 'max_queued_messages 1000000', 'max_queued_bytes 536870912', 'max_packet_size 16384'];

export interface PrivateMosquitto {
  url: string;
  /** The broker's log (connects, disconnects, "exceeded timeout"): evidence for a failing run. */
  log: () => string;
  close: () => Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      ok(true);
    });
    socket.once('error', () => ok(false));
  });
}

/**
 * A Mosquitto of the test's own (the `mosquitto` binary: installed in CI and on developer
 * machines beside PostgreSQL), on a free loopback port with a temporary configuration, so that
 * a test can rely on shared subscriptions and the production limits whatever broker
 * TEST_MQTT_URL names, or with none.
 */
export async function startPrivateMosquitto(): Promise<PrivateMosquitto> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'iomt-test-mosquitto-'));
  const logFile = join(dir, 'mosquitto.log');
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      // Sessions live as long as this broker process; the test never restarts it.
      'persistence false',
      ...PRODUCTION_LIMITS,
      `log_dest file ${logFile}`,
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      'connection_messages true',
    ].join('\n') + '\n',
  );
  let child: ChildProcess;
  try {
    child = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
    await Promise.race([
      once(child, 'spawn'),
      once(child, 'error').then(([e]) => {
        throw new Error(`cannot start mosquitto (the broker binary this test needs: apt-get install mosquitto): ${(e as Error).message}`);
      }),
    ]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const text = log();
      await close();
      throw new Error(`mosquitto did not listen on ${port}: ${text.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `mqtt://127.0.0.1:${port}`, log, close };
}
