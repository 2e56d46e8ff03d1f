import { connectAsync } from 'mqtt';
import { EmbeddedBroker } from '../../src/mqtt/embedded-broker';

/**
 * A broker that outlives the app under test, so that a restart test sees the service's
 * persistent session survive: the real broker (TEST_MQTT_URL) when set, else an Aedes broker
 * started here. The app's own embedded broker cannot serve: it stops with the app.
 */
export interface StandaloneBroker {
  url: string;
  /** Mosquitto (or another real broker), which has shared subscriptions; Aedes has none. */
  real: boolean;
  close: () => Promise<void>;
}

export async function startStandaloneBroker(): Promise<StandaloneBroker> {
  const real = process.env.TEST_MQTT_URL || undefined;
  if (real) return { url: real, real: true, close: async () => undefined };
  const broker = new EmbeddedBroker(true);
  const port = await broker.listen(0, '127.0.0.1');
  return { url: `mqtt://127.0.0.1:${port}`, real: false, close: () => broker.close() };
}

/** Ends a persistent session (and its queue) on the broker: a clean connect replaces it. */
export async function dropSession(url: string, clientId: string): Promise<void> {
  const client = await connectAsync(url, { clientId, clean: true, reconnectPeriod: 0, connectTimeout: 5000 });
  await client.endAsync();
}

/** An Aedes broker that a test stops and starts again on the same port, as an operator restarts one. */
export interface RestartableBroker {
  url: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * Always Aedes, even with TEST_MQTT_URL: a test cannot restart the machine's Mosquitto. Aedes
 * keeps sessions in memory, so a restart loses them, as a broker without persistence does.
 */
export async function startRestartableBroker(): Promise<RestartableBroker> {
  let broker: EmbeddedBroker | null = new EmbeddedBroker(true);
  const port = await broker.listen(0, '127.0.0.1');
  const stop = async () => {
    await broker?.close();
    broker = null;
  };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop,
    start: async () => {
      if (broker) throw new Error('broker already running');
      broker = new EmbeddedBroker(true);
      await broker.listen(port, '127.0.0.1');
    },
    close: stop,
  };
}
