import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The payload as the Standard Webhooks reference library verified it (null: verification failed). */
  verified: unknown;
  verifyError: string | null;
}

/**
 * A webhook endpoint as a hospital would run one: an HTTP server on loopback that verifies each
 * request's signature with the Standard Webhooks reference library and answers 204. It can be
 * stopped and started again on the same port, to play an endpoint that is down for a while.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secret: string | null = null;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let verified: unknown = null;
        let verifyError: string | null = null;
        try {
          verified = new Webhook(this.secret ?? 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').verify(body, req.headers as Record<string, string>);
        } catch (e) {
          verifyError = (e as Error).message;
        }
        this.received.push({ headers: req.headers, body, verified, verifyError });
        res.writeHead(verifyError ? 400 : 204).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/iomt`;
  }

  /** Verified deliveries of one type, by webhook-id. */
  of(type: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.verified && (r.verified as { type?: string }).type === type);
  }
}
