import { createSocket, Socket as UdpSocket } from 'node:dgram';
import { connect as netConnect, isIP, Socket } from 'node:net';
import { connect as tlsConnect, rootCertificates } from 'node:tls';
import { SyslogTarget } from '../config/syslog-target';
import { fitDatagram, formatRfc5424, octetCountingFrame, SyslogMessage } from './rfc5424';

/** Gives messages to the collector, in order; resolves once they are handed over, rejects otherwise. */
export interface SyslogTransport {
  send(messages: SyslogMessage[]): Promise<void>;
  /** Drops the connection (after a failure, or at shutdown); the next send opens a new one. */
  close(): void;
}

const CONNECT_TIMEOUT_MS = 5_000;
/** A collector that stops reading fills the socket buffers; past this the write counts as failed. */
const WRITE_TIMEOUT_MS = 10_000;

export function createSyslogTransport(target: SyslogTarget, udpMaxBytes: number): SyslogTransport {
  return target.protocol === 'udp' ? new UdpTransport(target, udpMaxBytes) : new StreamTransport(target);
}

/**
 * TCP or TLS with RFC 6587 octet counting (RFC 5425 for TLS). "Handed over" means written to the
 * kernel without error: TCP has no application acknowledgement, so what was written just before
 * the collector died can be lost with it (docs/siem.md, "Delivery").
 */
class StreamTransport implements SyslogTransport {
  private socket: Socket | null = null;
  /** A connection being established: close() must be able to end it too. */
  private opening: Socket | null = null;

  constructor(private readonly target: SyslogTarget) {}

  async send(messages: SyslogMessage[]): Promise<void> {
    const socket = this.socket ?? (await this.open());
    const bytes = Buffer.concat(messages.map((m) => octetCountingFrame(formatRfc5424(m))));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`syslog write not done after ${WRITE_TIMEOUT_MS} ms`)), WRITE_TIMEOUT_MS);
      const fail = (e: Error) => {
        clearTimeout(timer);
        socket.off('error', fail);
        this.close();
        reject(e);
      };
      socket.once('error', fail);
      socket.write(bytes, (e) => {
        if (e) return fail(e);
        clearTimeout(timer);
        socket.off('error', fail);
        resolve();
      });
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
    this.opening?.destroy();
    this.opening = null;
  }

  private open(): Promise<Socket> {
    const { protocol, host, port, ca } = this.target;
    return new Promise((resolve, reject) => {
      const socket =
        protocol === 'tls'
          ? tlsConnect({
              host,
              port,
              // SNI only carries names (RFC 6066); an IP address is still checked against the certificate.
              servername: isIP(host) ? undefined : host,
              ca: ca ? [...rootCertificates, ca.toString('utf8')] : undefined,
              minVersion: 'TLSv1.2',
            })
          : netConnect({ host, port });
      const ready = protocol === 'tls' ? 'secureConnect' : 'connect';
      const timer = setTimeout(() => socket.destroy(new Error(`syslog connection not established after ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      const failed = (e?: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e ?? new Error('syslog connection closed before it was established'));
      };
      // Closed without an error: destroyed by close() at shutdown.
      const closed = () => failed();
      socket.once('error', failed);
      socket.once('close', closed);
      this.opening = socket;
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', failed);
        socket.off('close', closed);
        socket.setKeepAlive(true, 30_000);
        // A collector that goes away closes the connection: forget it at once, so the next batch
        // opens a new one instead of being written into a socket that is already dead.
        const forget = () => {
          if (this.socket === socket) this.socket = null;
          socket.destroy();
        };
        socket.on('end', forget);
        socket.on('close', forget);
        socket.on('error', forget);
        // Collectors send nothing back on a syslog connection; whatever comes is ignored.
        socket.resume();
        this.opening = null;
        this.socket = socket;
        resolve(socket);
      });
    });
  }
}

/**
 * One message per datagram, shortened to `maxBytes` (rfc5424.ts, fitDatagram). UDP tells the
 * sender nothing: a datagram the kernel took counts as sent.
 */
class UdpTransport implements SyslogTransport {
  private socket: UdpSocket | null = null;

  constructor(
    private readonly target: SyslogTarget,
    private readonly maxBytes: number,
  ) {}

  async send(messages: SyslogMessage[]): Promise<void> {
    const socket = this.socket ?? (await this.open());
    for (const m of messages) {
      await new Promise<void>((resolve, reject) => socket.send(fitDatagram(m, this.maxBytes), (e) => (e ? reject(e) : resolve())));
    }
  }

  close(): void {
    this.socket?.close();
    this.socket = null;
  }

  private open(): Promise<UdpSocket> {
    const { host, port } = this.target;
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    return new Promise((resolve, reject) => {
      socket.once('error', (e) => {
        socket.close();
        reject(e);
      });
      // Connected: an ICMP "port unreachable" then fails a later send instead of vanishing.
      socket.connect(port, host, () => {
        socket.removeAllListeners('error');
        socket.on('error', () => this.close());
        this.socket = socket;
        resolve(socket);
      });
    });
  }
}
