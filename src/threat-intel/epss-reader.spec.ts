import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { EpssFormatError, EpssHeader, EpssScore } from './epss-format';
import { EpssReadOptions, EpssTooLargeError, readEpss } from './epss-reader';

const HEADER = '#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z';

function file(rows: number, header = HEADER): string {
  const lines = [header, 'cve,epss,percentile'];
  for (let i = 0; i < rows; i++) lines.push(`CVE-2024-${String(10000 + i)},0.${String(i % 100000).padStart(5, '0')},0.5`);
  return lines.join('\n') + '\n';
}

/** A body arriving in small chunks, as a socket delivers it. */
function chunked(bytes: Buffer, size = 1000): AsyncIterable<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

const OPTIONS: EpssReadOptions = { maxBodyBytes: 1_000_000, maxCsvBytes: 1_000_000, declaredGzip: false, batchSize: 100 };

async function read(body: Buffer, options: Partial<EpssReadOptions> = {}, onHeader: (h: EpssHeader) => 'continue' | 'stop' = () => 'continue') {
  const batches: EpssScore[][] = [];
  const headers: EpssHeader[] = [];
  const result = await readEpss(
    chunked(body, options.maxBodyBytes && options.maxBodyBytes < 1000 ? 7 : 1000),
    { ...OPTIONS, ...options },
    {
      onHeader: async (h) => {
        headers.push(h);
        return onHeader(h);
      },
      onBatch: async (b) => void batches.push(b),
    },
  );
  return { result, batches, headers };
}

async function failure(body: Buffer, options: Partial<EpssReadOptions> = {}): Promise<Error> {
  try {
    await read(body, options);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the reading to fail');
}

describe('readEpss', () => {
  it('reads a plain file in batches, in order, with each line number', async () => {
    const { result, batches, headers } = await read(Buffer.from(file(250)));
    expect(headers).toEqual([{ modelVersion: 'v2025.03.14', scoreDate: '2025-08-25T12:55:00Z' }]);
    expect(result).toEqual({ header: headers[0], rows: 250, stopped: false });
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches[0][0]).toEqual({ cve: 'CVE-2024-10000', epss: '0.00000', percentile: '0.5', line: 3 });
    expect(batches[2][49]).toMatchObject({ cve: 'CVE-2024-10249', line: 252 });
  });

  it('reads the same file gzip-compressed, recognised by its bytes whatever the headers say', async () => {
    const plain = await read(Buffer.from(file(250)));
    const gz = await read(gzipSync(file(250)));
    const declared = await read(gzipSync(file(250)), { declaredGzip: true });
    expect(gz.batches).toEqual(plain.batches);
    expect(declared.batches).toEqual(plain.batches);
  });

  it('takes CRLF line ends and a blank last line', async () => {
    const { result } = await read(Buffer.from(file(3).replace(/\n/g, '\r\n') + '\r\n'));
    expect(result.rows).toBe(3);
  });

  it('stops after line 1 when told to, handing no score over', async () => {
    const { result, batches } = await read(Buffer.from(file(250)), {}, () => 'stop');
    expect(result).toMatchObject({ rows: 0, stopped: true });
    expect(batches).toEqual([]);
  });

  it('names the line and field of the first malformed row; the rows before it were handed over only in whole batches', async () => {
    const text = file(250).replace('CVE-2024-10150,0.00150,0.5', 'CVE-2024-10150,1.7,0.5');
    const batches: EpssScore[][] = [];
    const e = await readEpss(chunked(Buffer.from(text)), OPTIONS, { onHeader: async () => 'continue', onBatch: async (b) => void batches.push(b) }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(EpssFormatError);
    expect(e).toMatchObject({ line: 153, field: 'epss', message: 'line 153: epss: must be a number from 0 to 1, got "1.7"' });
    expect(batches.map((b) => b.length)).toEqual([100]);
  });

  it.each([
    ['a file without the model line', 'cve,epss,percentile\nCVE-2019-0708,0.9,0.9\n', 1, 'model_version'],
    ['a file without the column names', `${HEADER}\nCVE-2019-0708,0.9,0.9\n`, 2, 'header'],
    ['a file with only the model line', `${HEADER}\n`, 2, 'header'],
    ['a row with a field too many', `${HEADER}\ncve,epss,percentile\nCVE-2019-0708,0.9,0.9,1\n`, 3, 'row'],
    ['a quoted field (FIRST never quotes)', `${HEADER}\ncve,epss,percentile\nCVE-2019-0708,"0.9",0.9\n`, 3, 'epss'],
    ['a line far longer than any score', `${HEADER}\ncve,epss,percentile\nCVE-2019-0708,0.9,0.9${' '.repeat(5000)}\n`, 3, 'row'],
  ])('refuses %s naming line %d and %s', async (_name, text, line, field) => {
    expect(await failure(Buffer.from(text))).toMatchObject({ line, field });
  });

  it('refuses an empty body and a body declared gzip that is not', async () => {
    expect(await failure(Buffer.alloc(0))).toMatchObject({ field: 'body', message: 'body: is empty' });
    expect(await failure(Buffer.from(file(2)), { declaredGzip: true })).toMatchObject({ field: 'body', message: expect.stringContaining('is not gzip data') });
  });

  it('refuses a truncated gzip stream and a corrupt one', async () => {
    const gz = gzipSync(file(2000));
    expect(await failure(gz.subarray(0, gz.length - 100))).toMatchObject({ field: 'body' });
    const corrupt = Buffer.from(gz);
    corrupt.fill(0x41, 20, 60);
    expect(await failure(corrupt)).toMatchObject({ field: 'body', message: expect.stringContaining('not a valid gzip stream') });
  });

  it('stops past the body limit, and past the CSV limit after gunzip (a gzip bomb)', async () => {
    const text = Buffer.from(file(2000));
    expect(await failure(text, { maxBodyBytes: text.length - 1 })).toEqual(new EpssTooLargeError('body', text.length - 1));
    const bomb = gzipSync(Buffer.concat([Buffer.from(`${HEADER}\ncve,epss,percentile\n`), Buffer.alloc(5_000_000, 0x20)]));
    expect(bomb.length).toBeLessThan(20_000);
    expect(await failure(bomb, { maxCsvBytes: 1_000_000 })).toBeInstanceOf(EpssTooLargeError);
    expect(await failure(bomb, { maxCsvBytes: 1_000_000 })).toMatchObject({ what: 'csv' });
  });
});
