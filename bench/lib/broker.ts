import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup, spawnLogged } from './cleanup';
import { ROOT } from './paths';
import { freePort, GiveUp, portOpen, waitFor } from './timing';

export const PRODUCTION_CONF = join(ROOT, 'docker', 'mosquitto', 'mosquitto.conf');
export const BENCH_CONF = join(ROOT, 'bench', 'mosquitto.bench.conf');

/** Limits taken from the production configuration when it exists; everything else stays local. */
const LIMIT_KEYS = [
  'max_inflight_messages',
  'max_inflight_bytes',
  'max_queued_messages',
  'max_queued_bytes',
  'max_packet_size',
  'message_size_limit',
  'max_keepalive',
  'set_tcp_nodelay',
  'upgrade_outgoing_qos',
];
/** Never copied from the bench template either: the bench writes its own listener. */
const LISTENER_KEYS = ['listener', 'port', 'bind_address'];

export interface BrokerConfig {
  text: string;
  /** The limits in force and the file each came from. */
  limits: Record<string, { value: string; from: string }>;
}

function directives(text: string): Array<[string, string]> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const space = l.search(/\s/);
      return space < 0 ? [l, ''] : [l.slice(0, space), l.slice(space).trim()];
    });
}

/** bench/mosquitto.bench.conf, with the limits of docker/mosquitto/mosquitto.conf when it exists. */
export function brokerConfig(port: number): BrokerConfig {
  const bench = directives(readFileSync(BENCH_CONF, 'utf8')).filter(([k]) => !LISTENER_KEYS.includes(k));
  const limits: BrokerConfig['limits'] = {};
  for (const [k, v] of bench) if (LIMIT_KEYS.includes(k)) limits[k] = { value: v, from: 'bench/mosquitto.bench.conf' };
  if (existsSync(PRODUCTION_CONF)) {
    // The last occurrence wins, as in Mosquitto itself.
    for (const [k, v] of directives(readFileSync(PRODUCTION_CONF, 'utf8'))) {
      if (LIMIT_KEYS.includes(k)) limits[k] = { value: v, from: 'docker/mosquitto/mosquitto.conf' };
    }
  }
  const lines = [`listener ${port} 127.0.0.1`];
  for (const [k, v] of bench) if (!LIMIT_KEYS.includes(k)) lines.push(`${k} ${v}`.trim());
  for (const [k, { value }] of Object.entries(limits)) lines.push(`${k} ${value}`);
  return { text: lines.join('\n') + '\n', limits };
}

export interface Broker {
  url: string;
  port: number;
  pid: number;
  config: BrokerConfig;
  stop(): Promise<void>;
}

/** Starts a private Mosquitto on a spare loopback port; cleanup stops it and removes its files. */
export async function startBroker(cleanup: Cleanup, label: string): Promise<Broker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `iomt-bench-mosquitto-${label}-`));
  const config = brokerConfig(port);
  const confFile = join(dir, 'mosquitto.conf');
  writeFileSync(confFile, config.text);
  const { child, stop: stopMosquitto } = spawnLogged('mosquitto', ['-c', confFile], {}, join(dir, 'mosquitto.log'), 5_000);
  const stop = async (): Promise<void> => {
    await stopMosquitto();
    rmSync(dir, { recursive: true, force: true });
  };
  const forget = cleanup.add(`mosquitto ${label}`, stop);
  try {
    await waitFor(
      `mosquitto (${label}) on port ${port}`,
      async () => {
        if (child.exitCode !== null)
          throw new GiveUp(`mosquitto exited with ${child.exitCode}: ${readFileSync(join(dir, 'mosquitto.log'), 'utf8').slice(-2000)}`);
        return (await portOpen(port)) ? true : undefined;
      },
      10_000,
      50,
    );
  } catch (e) {
    await stop();
    forget();
    throw e;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    config,
    stop: async () => {
      await stop();
      forget();
    },
  };
}
