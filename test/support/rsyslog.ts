import { ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const RSYSLOGD = '/usr/sbin/rsyslogd';

/**
 * A real rsyslog (the Debian package), run by the test as an unprivileged process with its own
 * configuration and working directory in a temporary directory: it listens on free TCP and UDP
 * ports (imtcp, imudp) and writes every message it receives to one file in RFC 5424 form
 * (RSYSLOG_SyslogProtocol23Format), one line each.
 */
export interface Rsyslog {
  tcpPort: number;
  udpPort: number;
  /** The lines written so far. */
  lines: () => string[];
  /** Resolves with the lines once `done(lines)` holds; fails after `timeoutMs` showing what arrived. */
  waitFor: (done: (lines: string[]) => boolean, timeoutMs?: number) => Promise<string[]>;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Stops it and removes its directory. */
  remove: () => Promise<void>;
}

export async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Prepares (does not start) an rsyslog; `start()` it when the test wants the collector up. */
export async function prepareRsyslog(): Promise<Rsyslog> {
  if (!existsSync(RSYSLOGD)) throw new Error(`${RSYSLOGD} is missing: apt-get install -y rsyslog`);
  const dir = mkdtempSync(join(tmpdir(), 'iomt-rsyslog-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  const output = join(dir, 'messages.log');
  const pidFile = join(dir, 'rsyslogd.pid');
  const conf = join(dir, 'rsyslog.conf');
  const tcpPort = await freeTcpPort();
  const udpPort = await freeUdpPort();
  writeFileSync(
    conf,
    [
      `global(workDirectory="${work}" maxMessageSize="64k")`,
      'module(load="imtcp")',
      'module(load="imudp")',
      `input(type="imtcp" address="127.0.0.1" port="${tcpPort}" ruleset="iomt")`,
      `input(type="imudp" address="127.0.0.1" port="${udpPort}" ruleset="iomt")`,
      `ruleset(name="iomt") { action(type="omfile" file="${output}" template="RSYSLOG_SyslogProtocol23Format") }`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;
  let stderr = '';

  const lines = () =>
    existsSync(output)
      ? readFileSync(output, 'utf8')
          .split('\n')
          .filter((l) => l.length > 0)
      : [];

  const start = async () => {
    stderr = '';
    child = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(tcpPort))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`rsyslogd did not start (exit ${child.exitCode}): ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  const waitFor = async (done: (lines: string[]) => boolean, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const now = lines();
      if (done(now)) return now;
      if (Date.now() > deadline) throw new Error(`rsyslog did not receive what was expected in ${timeoutMs} ms; it has:\n${now.join('\n')}\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  return {
    tcpPort,
    udpPort,
    lines,
    waitFor,
    start,
    stop,
    remove: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
