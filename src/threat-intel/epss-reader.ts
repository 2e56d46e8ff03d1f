import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { checkEpssColumns, EpssFormatError, EpssHeader, EpssScore, parseEpssHeader, parseEpssRow } from './epss-format';

export interface EpssReadOptions {
  /** Bytes of the body as it arrives (compressed or not). */
  maxBodyBytes: number;
  /** Bytes of the CSV itself, after gunzip: a small gzip bomb must not become gigabytes. */
  maxCsvBytes: number;
  /** Content-Encoding: gzip or Content-Type: application/gzip: then the body must be gzip. */
  declaredGzip: boolean;
  /** Scores handed to onBatch at once. */
  batchSize: number;
}

export interface EpssReadHandlers {
  /** Called once, after line 1; 'stop' ends the reading there (this day is already loaded). */
  onHeader: (header: EpssHeader) => Promise<'continue' | 'stop'>;
  /** Called with each batch of scores, in file order; the reading waits for it (backpressure). */
  onBatch: (scores: EpssScore[]) => Promise<void>;
}

export interface EpssReadResult {
  header: EpssHeader;
  rows: number;
  stopped: boolean;
}

/** More bytes than a limit allows; `what` says which (the body, or the CSV after gunzip). */
export class EpssTooLargeError extends Error {
  constructor(
    readonly what: 'body' | 'csv',
    readonly limit: number,
  ) {
    super(what === 'body' ? `body: is larger than ${limit} bytes` : `body: the CSV inside the gzip is larger than ${limit} bytes`);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Reads an EPSS file from a stream of bytes, never holding more than a batch of it: gzip is
 * recognised by its magic bytes (whatever the headers say; a body declared gzip must be gzip),
 * the first line is the model and date, the second the column names, then one score a line.
 * The first malformed line ends the reading with an EpssFormatError naming it.
 */
export async function readEpss(body: AsyncIterable<Buffer>, o: EpssReadOptions, handlers: EpssReadHandlers): Promise<EpssReadResult> {
  const raw = limited(body, o.maxBodyBytes, 'body');
  const head = await peek(raw, GZIP_MAGIC.length);
  const gzip = head.bytes.length >= 2 && head.bytes[0] === GZIP_MAGIC[0] && head.bytes[1] === GZIP_MAGIC[1];
  if (o.declaredGzip && !gzip) throw new EpssFormatError(null, 'body', 'is declared gzip (Content-Encoding or Content-Type) but is not gzip data');
  if (head.bytes.length === 0) throw new EpssFormatError(null, 'body', 'is empty');

  const csvBytes = gzip ? gunzipped(head.rest) : head.rest;
  let header: EpssHeader | null = null;
  let columns = false;
  let batch: EpssScore[] = [];
  let rows = 0;
  let lineNumber = 0;
  try {
    for await (const text of lines(limited(csvBytes, o.maxCsvBytes, 'csv'))) {
      lineNumber++;
      if (header === null) {
        header = parseEpssHeader(text);
        if ((await handlers.onHeader(header)) === 'stop') return { header, rows: 0, stopped: true };
        continue;
      }
      if (text.trim() === '') continue;
      if (text.length > MAX_LINE_CHARS) throw new EpssFormatError(lineNumber, 'row', `is longer than ${MAX_LINE_CHARS} characters`);
      const record = text.split(',');
      if (!columns) {
        checkEpssColumns(record, lineNumber);
        columns = true;
        continue;
      }
      batch.push(parseEpssRow(record, lineNumber));
      rows++;
      if (batch.length >= o.batchSize) {
        await handlers.onBatch(batch);
        batch = [];
      }
    }
  } catch (e) {
    throw translate(e);
  } finally {
    // Stopped early or failed: the gunzip stream stops too (the request itself is the caller's to drain).
    if (gzip) (csvBytes as Transform).destroy();
  }
  if (header === null)
    throw new EpssFormatError(1, 'model_version', 'the file is empty: the first line must be "#model_version:<version>,score_date:<ISO 8601 time>"');
  if (!columns) throw new EpssFormatError(2, 'header', 'is missing: the second line must be "cve,epss,percentile"');
  if (batch.length) await handlers.onBatch(batch);
  return { header, rows, stopped: false };
}

/** Longer than any line of the format (a CVE id of 28 characters and two decimals). */
const MAX_LINE_CHARS = 1_000;

function translate(e: unknown): unknown {
  if (e instanceof EpssFormatError || e instanceof EpssTooLargeError) return e;
  const code = (e as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) return new EpssFormatError(null, 'body', `is not a valid gzip stream (${(e as Error).message})`);
  return e;
}

/**
 * The text's lines, without their CR LF or LF. Not a CSV parser on purpose: the file is written
 * by FIRST's pipeline with no quoting (a CVE id and two decimals a line), and csv-parse measured
 * 50 times slower than splitting on this machine (docs/threat-intel.md). A quoted field is
 * refused by the field checks, naming its line.
 */
async function* lines(source: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of source) {
    const text = rest + decoder.write(chunk);
    const parts = text.split('\n');
    rest = parts.pop()!;
    // One line may not grow without end while its newline never comes.
    if (rest.length > MAX_LINE_CHARS * 4) rest = rest.slice(0, MAX_LINE_CHARS + 1);
    for (const part of parts) yield part.endsWith('\r') ? part.slice(0, -1) : part;
  }
  rest += decoder.end();
  if (rest !== '') yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

/**
 * Passes chunks on while counting them; past the limit, throws. Iterates by hand (never
 * `return()`s the source): the caller decides whether the rest of a request is drained or dropped.
 */
async function* limited(source: AsyncIterable<Buffer>, limit: number, what: 'body' | 'csv'): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let total = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    total += chunk.length;
    if (total > limit) throw new EpssTooLargeError(what, limit);
    yield chunk;
  }
}

/** The first `n` bytes (fewer if the stream is shorter), and a stream of everything, those included. */
async function peek(source: AsyncGenerator<Buffer>, n: number): Promise<{ bytes: Buffer; rest: AsyncGenerator<Buffer> }> {
  let bytes = Buffer.alloc(0);
  while (bytes.length < n) {
    const next = await source.next();
    if (next.done) break;
    bytes = Buffer.concat([bytes, next.value]);
  }
  const head = bytes;
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { bytes, rest: rest() };
}

function gunzipped(source: AsyncGenerator<Buffer>): Transform {
  const gunzip = createGunzip();
  // Errors of either side end the gunzip stream with that error, which its reader then sees.
  pipeline(Readable.from(source), gunzip).catch((e: unknown) => gunzip.destroy(e as Error));
  return gunzip;
}
