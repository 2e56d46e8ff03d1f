import { Agent, get as httpGet, IncomingMessage } from 'node:http';
import { Cleanup } from './cleanup';

/** Open consoles as the service sees them: long-lived GET /api/v1/events/stream connections, each read to the end. */
export interface SseClients {
  open: number;
  /** Events (any type but the keep-alive ping) each client has read so far. */
  eventsPerClient: () => number[];
  close: () => Promise<void>;
}

export async function openSseClients(cleanup: Cleanup, base: string, key: string, n: number, timeoutMs = 30_000): Promise<SseClients> {
  const { hostname, port } = new URL(base);
  // One socket each, as 200 browsers would have; the default agent would pool them the same way.
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const counts = new Array<number>(n).fill(0);
  const requests: Array<{ destroy: () => void }> = [];
  const opened = Array.from(
    { length: n },
    (_, i) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`SSE client ${i} not answered within ${timeoutMs} ms`)), timeoutMs);
        const req = httpGet(
          {
            host: hostname,
            port: Number(port),
            path: '/api/v1/events/stream',
            agent,
            headers: { Authorization: `Bearer ${key}`, Accept: 'text/event-stream' },
          },
          (res: IncomingMessage) => {
            clearTimeout(timer);
            if (res.statusCode !== 200) return reject(new Error(`SSE client ${i}: ${res.statusCode}`));
            res.setEncoding('utf8');
            let tail = '';
            res.on('data', (chunk: string) => {
              // Count whole events only; an event can straddle two chunks.
              const blocks = (tail + chunk).split('\n\n');
              tail = blocks.pop() ?? '';
              for (const b of blocks) if (/^event: (?!ping)/m.test(b)) counts[i]++;
            });
            res.on('error', () => undefined);
            resolve();
          },
        );
        req.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        requests.push(req);
      }),
  );
  const close = async (): Promise<void> => {
    for (const r of requests) r.destroy();
    agent.destroy();
  };
  const forget = cleanup.add(`${n} SSE clients`, close);
  try {
    await Promise.all(opened);
  } catch (e) {
    await close();
    forget();
    throw e;
  }
  return {
    open: n,
    eventsPerClient: () => [...counts],
    close: async () => {
      forget();
      await close();
    },
  };
}
