import { createServer } from 'node:net';
import { AppConfig, ConfigError } from '../config/app-config';

interface Wanted {
  variable: 'PORT' | 'MQTT_PORT' | 'MQTT_TLS_PORT';
  port: number;
  /** How to get past a taken port, said to the person starting the service. */
  remedy: string;
}

function wantedPorts(config: AppConfig): Wanted[] {
  const wanted: Wanted[] = [
    { variable: 'PORT', port: config.PORT, remedy: `choose another HTTP port, e.g. PORT=${config.PORT === 3000 ? 3001 : 3000} npm start` },
  ];
  if (config.embeddedBroker && config.tls) {
    wanted.push({
      variable: 'MQTT_TLS_PORT',
      port: config.MQTT_TLS_PORT,
      remedy: `choose another port for the embedded broker's TLS listener, e.g. MQTT_TLS_PORT=${config.MQTT_TLS_PORT === 8883 ? 8884 : 8883} npm start`,
    });
  }
  if (config.embeddedBroker && (!config.tls || config.MQTT_ALLOW_PLAINTEXT)) {
    wanted.push({
      variable: 'MQTT_PORT',
      port: config.MQTT_PORT,
      remedy: `choose another port for the embedded broker, e.g. MQTT_PORT=${config.MQTT_PORT === 1883 ? 1884 : 1883} npm start, or use the broker already there with MQTT_URL=mqtt://localhost:${config.MQTT_PORT}`,
    });
  }
  return wanted;
}

/** Why the port cannot be bound, or null when it can; the probe closes at once. */
function probe(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) =>
      resolve(
        e.code === 'EADDRINUSE' ? 'is already in use' : e.code === 'EACCES' ? 'may not be opened by this user' : `cannot be opened (${e.code ?? e.message})`,
      ),
    );
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/**
 * A taken port is a configuration error, found before anything is created (no data directory,
 * no key file): the start stops with one line naming the variable and the way out.
 */
export async function assertPortsFree(config: AppConfig): Promise<void> {
  const wanted = wantedPorts(config).filter((w) => w.port !== 0);
  for (const [i, w] of wanted.entries()) {
    const other = wanted.slice(0, i).find((x) => x.port === w.port);
    if (other)
      throw new ConfigError(`${w.variable}: ${w.port} is also ${other.variable}: give each listener its own port, or use an external broker with MQTT_URL`);
  }
  for (const w of wanted) {
    const problem = await probe(w.port, config.HOST);
    if (problem) throw new ConfigError(portProblem(w, config.HOST, problem));
  }
}

/** The same line for a port lost between the check and the real listen. */
export function takenPortError(config: AppConfig, port: number | undefined): ConfigError | null {
  const w = wantedPorts(config).find((x) => x.port === port);
  return w ? new ConfigError(portProblem(w, config.HOST, 'is already in use')) : null;
}

function portProblem(w: Wanted, host: string, problem: string): string {
  return `${w.variable}: port ${w.port} on ${host} ${problem}: ${w.remedy}`;
}
