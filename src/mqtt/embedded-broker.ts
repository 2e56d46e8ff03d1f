import { createServer, Server } from 'node:net';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Aedes, { AuthenticateError, Client } from 'aedes';
import { BrokerAuthenticator, heartbeatTopicFor } from './broker-authenticator';

// MQTT CONNACK return code 4: bad user name or password; 5: not authorized.
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

type Identity = { kind: 'service' } | { kind: 'device'; deviceId: string } | { kind: 'anonymous' };

/**
 * An in-process Aedes broker for the embedded default. Devices authenticate with the
 * credentials issued through the API and may publish only to their own heartbeat topic;
 * the service connects with a random per-boot secret and may subscribe to everything.
 */
export class EmbeddedBroker {
  private readonly logger = new Logger(EmbeddedBroker.name);
  private readonly aedes: Aedes;
  private readonly server: Server;
  private readonly identities = new WeakMap<Client, Identity>();
  private authenticator?: BrokerAuthenticator;
  readonly serviceUsername = '__iomt_service';
  readonly servicePassword = randomBytes(24).toString('base64url');
  port = 0;

  constructor(private readonly allowAnonymous: boolean) {
    this.aedes = new Aedes({
      authenticate: (client, username, password, done) => {
        this.authenticate(client, username, password).then(
          (ok) => done(ok === true ? null : ok, ok === true),
          () => done(this.connackError(BAD_CREDENTIALS), false),
        );
      },
      authorizePublish: (client, packet, done) => done(this.mayPublish(client, packet.topic) ? null : new Error('not authorized')),
      authorizeSubscribe: (client, sub, done) => done(null, this.maySubscribe(client) ? sub : null),
    });
    this.server = createServer(this.aedes.handle);
  }

  setAuthenticator(authenticator: BrokerAuthenticator): void {
    this.authenticator = authenticator;
  }

  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    this.logger.log({ port: this.port, allowAnonymous: this.allowAnonymous }, 'embedded MQTT broker (Aedes) listening');
    return this.port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async authenticate(client: Client, username?: string, password?: Buffer): Promise<true | AuthenticateError> {
    if (username === undefined) {
      if (!this.allowAnonymous) return this.connackError(NOT_AUTHORIZED);
      this.identities.set(client, { kind: 'anonymous' });
      return true;
    }
    if (username === this.serviceUsername) {
      const expected = Buffer.from(this.servicePassword);
      if (password && password.length === expected.length && timingSafeEqual(password, expected)) {
        this.identities.set(client, { kind: 'service' });
        return true;
      }
      return this.connackError(BAD_CREDENTIALS);
    }
    const deviceId = this.authenticator && password ? await this.authenticator.verify(username, password) : null;
    if (!deviceId) {
      this.logger.warn({ clientId: client.id }, 'MQTT connection refused: bad device credentials');
      return this.connackError(BAD_CREDENTIALS);
    }
    this.identities.set(client, { kind: 'device', deviceId });
    return true;
  }

  private mayPublish(client: Client | null, topic: string): boolean {
    const identity = client ? this.identities.get(client) : undefined;
    if (!identity) return false;
    if (identity.kind === 'service' || identity.kind === 'anonymous') return true;
    const allowed = topic === heartbeatTopicFor(identity.deviceId);
    if (!allowed) this.logger.warn({ deviceId: identity.deviceId, topic }, 'device tried to publish outside its own topic');
    return allowed;
  }

  private maySubscribe(client: Client): boolean {
    const identity = this.identities.get(client);
    return identity?.kind === 'service' || identity?.kind === 'anonymous';
  }

  private connackError(code: number): AuthenticateError {
    const error = new Error('connection refused') as AuthenticateError;
    error.returnCode = code;
    return error;
  }
}
