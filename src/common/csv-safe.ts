import { stringify } from 'csv-stringify/sync';

/**
 * CSV files the service writes are opened in spreadsheets, where a cell that starts a formula
 * runs it (CSV injection, OWASP). Any text that reaches a cell (a device's location, a model
 * name, an advisory's tracking id) comes from some client, so every text cell is checked here.
 *
 * A cell is neutralised with a leading `'` (shown as text, OWASP's own advice) when:
 * - it starts with a formula character: = + - @ (and their fullwidth forms, which spreadsheets
 *   fold to ASCII), or | and %, which some applications treat likewise;
 * - it starts with any control, invisible or space character (tab, CR, LF, VT, FF, U+0085, NBSP,
 *   zero-width space, BOM...): spreadsheets skip or trim some of them before looking for a
 *   formula, and which ones differs by application and version;
 * - a separator a spreadsheet may split on (, ; tab | or a line break) is followed, after any of
 *   those invisible characters, by a formula character: `a;=cmd` becomes two cells in a locale
 *   that splits on `;`.
 * Cells that contain any such separator are also quoted, so a split cannot happen where quotes
 * are honoured; embedded quotes are doubled.
 */
const FORMULA = '=+\\-@|%\\uFF1D\\uFF0B\\uFF0D\\uFF20';
const INVISIBLE = '\\p{Cc}\\p{Cf}\\p{Z}\\s';
const SEPARATORS = ',;\\t|\\r\\n\\u0085\\u2028\\u2029';
const DANGEROUS = new RegExp(`^[${FORMULA}${INVISIBLE}]|[${SEPARATORS}][${INVISIBLE}]*[${FORMULA}]`, 'u');

export function neutraliseCsvCell(value: string): string {
  return DANGEROUS.test(value) ? `'${value}` : value;
}

export type CsvCell = string | number | boolean | null | undefined;

/** Rows to CSV text, with every text cell neutralised. Numbers are written as numbers. */
export function toSafeCsv(rows: CsvCell[][]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutraliseCsvCell(cell) : (cell ?? ''))));
  return stringify(cells, { quoted_match: new RegExp(`[${SEPARATORS}"]`) });
}
