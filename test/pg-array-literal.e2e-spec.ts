import fc from 'fast-check';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../src/database/embedded-postgres';
import { pgArrayLiteral } from '../src/database/pg-array-literal';

/** Round trips through the real parser: TEST_DATABASE_URL's PostgreSQL, else the embedded one. */
describe('pgArrayLiteral against PostgreSQL', () => {
  let embedded: EmbeddedPostgres | null = null;
  let db: Client;

  beforeAll(async () => {
    // Room for this one client only: PGlite's socket server mixes up the answers of concurrent connections (electric-sql/pglite#1046).
    const url = process.env.TEST_DATABASE_URL ?? (embedded = await EmbeddedPostgres.start('memory://', 1)).url;
    db = new Client({ connectionString: url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await embedded?.stop();
  });

  const roundTrip = async (type: string, values: ReadonlyArray<string | number | null>) => {
    const { rows } = await db.query<{ v: unknown }>(`SELECT v FROM unnest($1::${type}[]) WITH ORDINALITY AS u(v, i) ORDER BY i`, [pgArrayLiteral(values)]);
    return rows.map((r) => r.v);
  };

  it('keeps every string as it was: quotes, backslashes, braces, commas, spaces, the word NULL, empty', async () => {
    const tricky = ['a"b', 'back\\slash', '{braces}', 'a,b', ' padded ', 'NULL', 'null', '', '\\"', 'Größe-Ω', '𝄞', 'tab\there'];
    expect(await roundTrip('text', tricky)).toEqual(tricky);
  });

  it('keeps any string without U+0000, and nulls where they were (property)', async () => {
    const value = fc.option(
      fc.string({ unit: 'binary', maxLength: 30 }).filter((s) => !s.includes('\0')),
      { nil: null },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 20 }), async (values) => {
        // A lone surrogate has no UTF-8 form; the driver sends U+FFFD for it, as for any query text.
        const expected = values.map((v) => (v === null ? null : Buffer.from(v, 'utf8').toString('utf8')));
        expect(await roundTrip('text', values)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps numbers, including epoch milliseconds as float8 and battery levels as smallint', async () => {
    expect(await roundTrip('float8', [1764704000123, 0, -1.5, null])).toEqual([1764704000123, 0, -1.5, null]);
    expect(await roundTrip('smallint', [0, 100, null])).toEqual([0, 100, null]);
  });

  it('refuses a number PostgreSQL would read as something else', () => {
    expect(() => pgArrayLiteral([NaN])).toThrow(RangeError);
    expect(() => pgArrayLiteral([Infinity])).toThrow(RangeError);
  });

  it('reads an empty list as an empty array', async () => {
    expect(await roundTrip('uuid', [])).toEqual([]);
  });
});
