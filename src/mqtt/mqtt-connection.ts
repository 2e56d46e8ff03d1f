import { hostname } from 'node:os';
import { PeerCertificate } from 'node:tls';
import { Logger } from '@nestjs/common';
import { connect, IClientOptions, MqttClient } from 'mqtt';

export interface MqttConnectionOptions {
  url: string;
  clientId?: string;
  username?: string;
  password?: string;
  /** mqtts:// only: trust anchors instead of Node's, and a check of the broker's certificate in place of its host name. */
  tls?: { ca: string[]; checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined };
}

/** The service's client id when MQTT_CLIENT_ID is unset: stable per host, so its persistent session survives restarts. */
export function defaultClientId(): string {
  return `iomt-service-${hostname()}`.slice(0, 64);
}

/**
 * The service's one MQTT client. A stable client id with clean=false gives a persistent
 * session: QoS 1 messages published while the service is down are kept by the broker and
 * delivered when it reconnects.
 *
 * It does not connect on its own: the broker sends that queue right after CONNACK, so whoever
 * consumes the messages installs its handlers on `client` first and then calls `open()`.
 */
export class MqttConnection {
  private readonly logger = new Logger(MqttConnection.name);
  readonly client: MqttClient;
  private lastError: string | null = null;
  private opened = false;

  constructor(options: MqttConnectionOptions) {
    const clientOptions: IClientOptions = {
      clientId: options.clientId ?? defaultClientId(),
      clean: false,
      protocolVersion: 4,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      username: options.username,
      password: options.password,
      manualConnect: true,
      ...(options.tls ? { ca: options.tls.ca, checkServerIdentity: options.tls.checkServerIdentity, rejectUnauthorized: true } : {}),
      // MQTT.js calls its debug logger several times per message even when it is off (2 % of the
      // service's CPU under load, by profile); with DEBUG unset nobody can read those lines anyway.
      // DEBUG is the debug module's own switch, not a setting of this service.
      // eslint-disable-next-line no-restricted-properties
      ...(process.env.DEBUG ? {} : { log: () => undefined }),
    };
    this.client = connect(options.url, clientOptions);
    this.client.on('connect', () => {
      this.lastError = null;
      this.logger.log({ clientId: clientOptions.clientId }, 'MQTT connected');
    });
    this.client.on('error', (err) => {
      this.lastError = err.message;
      this.logger.warn({ err: err.message }, 'MQTT error');
    });
    this.client.on('offline', () => this.logger.warn('MQTT offline; reconnecting'));
  }

  get connected(): boolean {
    return this.client.connected;
  }

  get error(): string | null {
    return this.lastError;
  }

  /** Opens the connection and waits for the first CONNACK (or fails after the timeout). */
  async open(timeoutMs = 15_000): Promise<void> {
    if (this.opened) throw new Error('MQTT connection already opened');
    this.opened = true;
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`MQTT broker not reachable within ${timeoutMs} ms: ${this.lastError ?? 'no answer'}`)), timeoutMs);
      this.client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.client.connect();
    await ready;
  }

  async close(): Promise<void> {
    // A client that never connected has no stream, and MQTT.js's end() throws on that.
    if (!this.opened) return;
    await this.client.endAsync(false);
  }
}
