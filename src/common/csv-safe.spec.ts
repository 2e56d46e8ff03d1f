import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { neutraliseCsvCell, toSafeCsv } from './csv-safe';

const cellsOf = (csv: string): string[][] => parse(csv, { relax_column_count: true });
const FORMULA_START = /^[=+\-@|%\uFF1D\uFF0B\uFF0D\uFF20]/u;
const INVISIBLE_RUN = /^[\p{Cc}\p{Cf}\p{Z}\s]*/u;
const SEPARATOR = /[,;\t|\r\n\u0085\u2028\u2029]/u;

describe('neutraliseCsvCell', () => {
  it.each([
    ['=1+1'],
    ['+1'],
    ['-1'],
    ['@SUM(A1)'],
    ['\t=1'],
    ['\r=1'],
    ['\n=1+1'],
    ['\u000b=1+1'],
    ['\f=1+1'],
    ['\u0085=1+1'],
    ['\u00a0=1+1'],
    ['\u200b=1+1'],
    [' =1+1'],
    ['\ufeff=1'],
    ['\u2028=1'],
    ['\uff1d1+1'],
    ['\uff0b1'],
    ['\uff0d1'],
    ['\uff20SUM(A1)'],
    ['|calc'],
    ['%0A'],
    ['ICU;=1+1'],
    ['ICU; =HYPERLINK("http://x")'],
    ['a,@SUM(A1)'],
    ['a\t+1'],
    ['a|=1'],
    ['a\n-1'],
    ['a\u0085=1'],
    ['a;\u200b=1'],
    ['a;\uff1d1'],
  ])('prefixes %j with an apostrophe', (value) => {
    expect(neutraliseCsvCell(value)).toBe(`'${value}`);
  });

  it.each([['SN-0042-7781'], ['8.00.01'], ['Building A / ICU / Bed 12'], ['update to 2.1 or later'], ['CVE-2026-0001; CVE-2026-0002'], ['a=b'], ['Zoë'], ['']])(
    'leaves %j as written',
    (value) => {
      expect(neutraliseCsvCell(value)).toBe(value);
    },
  );
});

describe('toSafeCsv', () => {
  it('keeps numbers as numbers and writes absent values as empty cells', () => {
    expect(toSafeCsv([['a', -3, 9.8, null, undefined]])).toBe('a,-3,9.8,,\n');
  });

  it('quotes a neutralised cell that holds a separator, so it stays one cell', () => {
    expect(toSafeCsv([['ICU;=1+1', 'x']])).toBe(`"'ICU;=1+1",x\n`);
  });

  it('reads back every text exactly, or with one leading apostrophe (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 30 }), { minLength: 1, maxLength: 5 }), (row) => {
        const [parsed] = cellsOf(toSafeCsv([row]));
        expect(parsed).toHaveLength(row.length);
        parsed.forEach((cell, i) => expect([row[i], `'${row[i]}`]).toContain(cell));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no cell, nor any piece of it after a separator, starting a formula unless it starts with an apostrophe (property)', () => {
    // eslint-disable-next-line no-control-regex -- the control characters are the point
    const risky = fc.stringMatching(/^[ \t\r\n\u000b\u000c\u0085\u00a0\u200b\ufeff,;|=+\-@%\uff1d\uff0b\uff0d\uff20a-z0-9"']{0,12}$/);
    fc.assert(
      fc.property(fc.oneof(risky, fc.string({ unit: 'binary', maxLength: 20 })), (text) => {
        const [[cell]] = cellsOf(toSafeCsv([[text]]));
        if (cell.startsWith("'")) return;
        const pieces = cell.split(SEPARATOR);
        expect(cell.replace(INVISIBLE_RUN, '')).toBe(cell);
        for (const piece of pieces) expect(piece.replace(INVISIBLE_RUN, '')).not.toMatch(FORMULA_START);
      }),
      { numRuns: 2000 },
    );
  });
});
