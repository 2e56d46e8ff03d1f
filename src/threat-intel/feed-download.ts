import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** A feed answered with something other than 200, or could not be reached. */
export class FeedDownloadError extends Error {}

/** A mirror that hangs must not hold the pull lock forever. */
export const PULL_TIMEOUT_MS = 120_000;

/**
 * GETs a feed URL. fetch (undici) undoes Content-Encoding: gzip itself; a file served as
 * application/gzip arrives as its bytes. Messages never contain the URL, which may carry a token.
 */
export async function download(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(PULL_TIMEOUT_MS), headers: { Accept: 'application/json, text/csv, application/gzip' } });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new FeedDownloadError(`the feed URL could not be reached (${cause?.code ?? cause?.message ?? (e as Error).name})`);
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    throw new FeedDownloadError(`HTTP ${res.status} from the feed URL`);
  }
  return res;
}

/** The whole body as text, refused past `limit` bytes (the KEV catalog is read whole: it is one JSON document). */
export async function textOf(res: Response, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of Readable.fromWeb(res.body as WebReadableStream<Uint8Array>)) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new FeedDownloadError(`the feed is larger than ${limit} bytes (HTTP_IMPORT_LIMIT_BYTES)`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A downloaded body as the EPSS loader reads it; whatever is left when it stops is dropped. */
export function streamOf(res: Response): AsyncIterable<Buffer> & { finish(): Promise<void> } {
  const stream = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  const iterator = stream[Symbol.asyncIterator]();
  return {
    [Symbol.asyncIterator]: () => ({ next: () => iterator.next() }),
    finish: async () => void stream.destroy(),
  };
}

/** `https://mirror/kev.json` without user, password, query or fragment: fit for a log line. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
