import { createServer, Server, Socket } from 'node:net';
import { createServer as createTlsServer, Server as TlsServer, TLSSocket } from 'node:tls';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Aedes, { AuthenticateError, Client } from 'aedes';
import { BrokerAuthenticator } from './broker-authenticator';
import { heartbeatTopicFor } from './heartbeat-topic';
import { CONNECT_TIMEOUT_MS, DEFAULT_MAX_PACKET_BYTES, MAX_PENDING_CONNECTIONS, MAX_PENDING_PER_ADDRESS } from './connection-limits';
import { MqttFrameScanner } from './mqtt-frame-scanner';
import { PendingConnections } from './pending-connections';

// MQTT CONNACK return codes. 2: identifier rejected; 4: bad user name or password; 5: not authorized.
const IDENTIFIER_REJECTED = 2;
const BAD_CREDENTIALS = 4;
const NOT_AUTHORIZED = 5;

type Identity =
  | { kind: 'service' }
  /** `since`: the revocation generation when this login began; a later revocation of the device voids it. */
  | { kind: 'device'; deviceId: string; since: number }
  | { kind: 'anonymous' };

export interface BrokerTls {
  key: Buffer;
  cert: Buffer;
  ca?: Buffer;
}

export interface EmbeddedBrokerOptions {
  /** The service's own client id: only the service may use it (a device using it would take over the service's session). */
  serviceClientId?: string;
  maxPacketBytes?: number;
  /** Certificate and key for the MQTT-over-TLS listener (`listenTls`). */
  tls?: BrokerTls;
}

/**
 * An in-process Aedes broker for the embedded default. Devices authenticate with the
 * credentials issued through the API and may publish only to their own heartbeat topic;
 * the service connects with a random per-boot secret and may subscribe to everything.
 * Hostile clients are bounded before they authenticate (packet size, connect timeout, pending
 * connections) and cannot take over the service's session or another device's client id.
 */
export class EmbeddedBroker {
  private readonly logger = new Logger(EmbeddedBroker.name);
  private readonly aedes: Aedes;
  private readonly servers: Array<Server | TlsServer> = [];
  private readonly identities = new WeakMap<Client, Identity>();
  /** Authenticated clients by client id, as Aedes will register them (it registers a little later). */
  private readonly byClientId = new Map<string, Client>();
  /** Live sessions of each device, so that revoking its credentials can end them. */
  private readonly sessions = new Map<string, Set<Client>>();
  /** Per device: the generation of its latest revocation. */
  private readonly revokedAt = new Map<string, number>();
  private generation = 0;
  private readonly pending = new PendingConnections(MAX_PENDING_CONNECTIONS, MAX_PENDING_PER_ADDRESS);
  private readonly maxPacketBytes: number;
  private authenticator?: BrokerAuthenticator;
  readonly serviceUsername = '__iomt_service';
  readonly servicePassword = randomBytes(24).toString('base64url');
  /** Plaintext listener's port (0: none). */
  port = 0;
  /** MQTT-over-TLS listener's port (0: none). */
  tlsPort = 0;

  constructor(
    private readonly allowAnonymous: boolean,
    private readonly options: EmbeddedBrokerOptions = {},
  ) {
    this.maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
    this.aedes = new Aedes({
      connectTimeout: CONNECT_TIMEOUT_MS,
      authenticate: (client, username, password, done) => {
        this.authenticate(client, username, password).then(
          (ok) => done(ok === true ? null : ok, ok === true),
          () => done(this.connackError(BAD_CREDENTIALS), false),
        );
      },
      authorizePublish: (client, packet, done) => done(this.mayPublish(client, packet.topic) ? null : new Error('not authorized')),
      authorizeSubscribe: (client, sub, done) => done(null, this.maySubscribe(client) ? sub : null),
    });
  }

  setAuthenticator(authenticator: BrokerAuthenticator): void {
    this.authenticator = authenticator;
  }

  /** A plaintext MQTT listener. */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = createServer();
    server.on('connection', (socket: Socket) => {
      if (this.admit(socket)) this.accept(socket);
    });
    this.port = await this.start(server, port, host);
    this.logger.log({ port: this.port, allowAnonymous: this.allowAnonymous, maxPacketBytes: this.maxPacketBytes }, 'embedded MQTT broker (Aedes) listening');
    return this.port;
  }

  /** An MQTT-over-TLS listener with the certificate given in the options. */
  async listenTls(port: number, host = '0.0.0.0'): Promise<number> {
    const tls = this.options.tls;
    if (!tls) throw new Error('listenTls needs a certificate and key');
    const server = createTlsServer({ key: tls.key, cert: tls.cert, ca: tls.ca, handshakeTimeout: CONNECT_TIMEOUT_MS });
    // The raw TCP connection, before the handshake: what an unauthenticated client holds.
    server.on('connection', (socket: Socket) => this.admit(socket));
    server.on('secureConnection', (socket: TLSSocket) => this.accept(socket));
    // A plaintext client on the TLS port, a bad handshake or a handshake timeout: the socket is already gone.
    server.on('tlsClientError', (err) => this.logger.debug({ err: err.message }, 'MQTT TLS handshake failed'));
    this.tlsPort = await this.start(server, port, host);
    this.logger.log(
      { port: this.tlsPort, allowAnonymous: this.allowAnonymous, maxPacketBytes: this.maxPacketBytes },
      'embedded MQTT broker (Aedes) listening with TLS',
    );
    return this.tlsPort;
  }

  /**
   * Ends every live session of a device at once and voids logins still in progress: its
   * credentials were re-issued or it was decommissioned. Returns how many sessions were closed.
   */
  endSessionsOf(deviceId: string): number {
    this.revokedAt.set(deviceId, ++this.generation);
    const live = [...(this.sessions.get(deviceId) ?? [])];
    this.sessions.delete(deviceId);
    for (const client of live) client.close();
    if (live.length > 0) this.logger.log({ deviceId, sessions: live.length }, 'ended MQTT sessions of a device whose credentials were revoked');
    return live.length;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    await Promise.all(this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private async start(server: Server | TlsServer, port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.servers.push(server);
    const address = server.address();
    return typeof address === 'object' && address ? address.port : port;
  }

  /** False (and the socket closed) when no slot for another unauthenticated connection is free. */
  private admit(socket: Socket): boolean {
    const key = peerKey(socket);
    if (!key || !this.pending.admit(key, socket.remoteAddress!)) {
      this.logger.warn({ remoteAddress: socket.remoteAddress, pending: this.pending.size }, 'MQTT connection refused: too many connections not yet logged in');
      socket.destroy();
      return false;
    }
    socket.once('close', () => this.pending.release(key));
    return true;
  }

  private accept(socket: Socket): void {
    if (socket.destroyed) return;
    this.aedes.handle(socket);
    // Aedes reads with 'readable' + read(), which keeps control of the flow; a 'data' listener
    // then sees each chunk as Aedes reads it, before its parser buffers it.
    const scanner = new MqttFrameScanner(this.maxPacketBytes);
    socket.on('data', (chunk: Buffer) => {
      const verdict = scanner.feed(chunk);
      if (verdict === 'ok') return;
      this.logger.warn(
        { remoteAddress: socket.remoteAddress, verdict, maxPacketBytes: this.maxPacketBytes },
        'MQTT connection closed: packet over the size limit or malformed',
      );
      socket.destroy();
    });
  }

  private async authenticate(client: Client, username?: string, password?: Buffer): Promise<true | AuthenticateError> {
    const identity = await this.identify(client, username, password);
    if (!('kind' in identity)) return identity;
    if (client.id === this.options.serviceClientId && identity.kind !== 'service') {
      this.logger.warn({ clientId: client.id }, "MQTT connection refused: a client other than the service used the service's client id");
      return this.connackError(IDENTIFIER_REJECTED);
    }
    const holder = this.byClientId.get(client.id);
    const held = holder && holder !== client && !holder.closed ? this.identities.get(holder) : undefined;
    if (held && identityKey(held) !== identityKey(identity)) {
      this.logger.warn({ clientId: client.id }, 'MQTT connection refused: the client id is in use by another identity');
      return this.connackError(IDENTIFIER_REJECTED);
    }
    this.remember(client, identity);
    return true;
  }

  private async identify(client: Client, username?: string, password?: Buffer): Promise<Identity | AuthenticateError> {
    if (username === undefined) {
      if (!this.allowAnonymous) return this.connackError(NOT_AUTHORIZED);
      return { kind: 'anonymous' };
    }
    if (username === this.serviceUsername) {
      const expected = Buffer.from(this.servicePassword);
      if (password && password.length === expected.length && timingSafeEqual(password, expected)) return { kind: 'service' };
      return this.connackError(BAD_CREDENTIALS);
    }
    const since = this.generation;
    const deviceId = this.authenticator && password ? await this.authenticator.verify(username, password) : null;
    if (!deviceId) {
      this.logger.warn({ clientId: client.id }, 'MQTT connection refused: bad device credentials');
      return this.connackError(BAD_CREDENTIALS);
    }
    // Revoked while its password was being checked: the check may have read the old secret.
    if (this.revoked(deviceId, since)) return this.connackError(BAD_CREDENTIALS);
    return { kind: 'device', deviceId, since };
  }

  private remember(client: Client, identity: Identity): void {
    this.identities.set(client, identity);
    this.byClientId.set(client.id, client);
    const conn = client.conn as Socket;
    const key = peerKey(conn);
    if (key) this.pending.release(key);
    let sessions: Set<Client> | undefined;
    if (identity.kind === 'device') {
      sessions = this.sessions.get(identity.deviceId) ?? new Set();
      this.sessions.set(identity.deviceId, sessions.add(client));
    }
    conn.once('close', () => {
      if (this.byClientId.get(client.id) === client) this.byClientId.delete(client.id);
      sessions?.delete(client);
      if (identity.kind === 'device' && sessions?.size === 0 && this.sessions.get(identity.deviceId) === sessions) this.sessions.delete(identity.deviceId);
    });
  }

  private revoked(deviceId: string, since: number): boolean {
    return (this.revokedAt.get(deviceId) ?? 0) > since;
  }

  private mayPublish(client: Client | null, topic: string): boolean {
    const identity = client ? this.identities.get(client) : undefined;
    if (!identity) return false;
    if (identity.kind === 'service' || identity.kind === 'anonymous') return true;
    if (this.revoked(identity.deviceId, identity.since)) {
      this.logger.warn({ deviceId: identity.deviceId }, "publish refused: the device's credentials were revoked");
      return false;
    }
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

function identityKey(identity: Identity): string {
  return identity.kind === 'device' ? `device:${identity.deviceId}` : identity.kind;
}

/** The same for a TCP socket and the TLS socket over it: both report the peer's address and port. */
function peerKey(socket: Socket): string | null {
  return socket.remoteAddress && socket.remotePort ? `${socket.remoteAddress}:${socket.remotePort}` : null;
}
