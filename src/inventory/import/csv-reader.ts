/**
 * Reads a device CSV: a header row naming the columns (any order, names as in POST /devices,
 * ignoring case), then one device per record. Pure.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { InvalidInputError } from '../../common/domain-errors';
import { IMPORT_FIELDS, ImportField, ImportRow, MAX_IMPORT_ROWS, ReadResult, tooManyRows } from './import-row';

const BY_LOWER_NAME = new Map<string, ImportField>(IMPORT_FIELDS.map((f) => [f.toLowerCase(), f]));

export function readCsv(text: string): ReadResult {
  if (!text.trim()) throw new InvalidInputError('body: the file is empty');
  let records: string[][];
  try {
    // Fully empty lines are skipped and not counted; a spreadsheet's ",,,," line is read and skipped below.
    records = parse(text, { bom: true, skip_empty_lines: true });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    return { rows: [], errors: [syntaxError(e)] };
  }
  const [header, ...data] = records;
  const columns = readHeader(header ?? []);
  if (data.length > MAX_IMPORT_ROWS) throw tooManyRows(data.length);

  const rows: ImportRow[] = [];
  data.forEach((record, index) => {
    if (record.every((cell) => cell.trim() === '')) return;
    const row: ImportRow = { row: index + 1, values: {}, names: {} };
    columns.forEach((field, i) => {
      row.names[field] = field;
      // CSV cannot tell "empty" from "absent": an empty cell means the field is not given.
      if (record[i] !== '') row.values[field] = record[i];
    });
    rows.push(row);
  });
  if (!rows.length) throw new InvalidInputError('body: the file has a header but no device rows');
  return { rows, errors: [] };
}

function readHeader(header: string[]): ImportField[] {
  const columns = header.map((name) => {
    const field = BY_LOWER_NAME.get(name.trim().toLowerCase());
    if (!field) throw new InvalidInputError(`header: unknown column "${name}"; the columns are ${IMPORT_FIELDS.join(', ')}`);
    return field;
  });
  const repeated = columns.find((c, i) => columns.indexOf(c) !== i);
  if (repeated) throw new InvalidInputError(`header: column "${repeated}" appears twice`);
  if (!columns.includes('serialNumber')) throw new InvalidInputError('header: column "serialNumber" is required');
  const byName = columns.includes('manufacturer') && columns.includes('modelNumber');
  if (!byName && !columns.includes('modelId')) {
    throw new InvalidInputError('header: name the model with columns "manufacturer" and "modelNumber", or with "modelId"');
  }
  return columns;
}

/**
 * csv-parse stops at the first syntax error. It counts the records read before it, the header
 * included, so the broken record is data row `records`; its message names the line.
 */
function syntaxError(e: CsvError): { row: number; field: null; message: string } {
  const records = typeof e.records === 'number' ? e.records : 0;
  if (!records) throw new InvalidInputError(`header: the CSV cannot be read: ${e.message}`);
  return { row: records, field: null, message: `the CSV cannot be read: ${e.message}` };
}
