/**
 * The common shape of one device to import, whatever file it came from, and the errors that
 * reject an import. Pure: no Nest or TypeORM.
 */
import { InvalidInputError } from '../../common/domain-errors';

/** The fields of a device an import can set, named as in POST /devices (plus the model by name). */
export const IMPORT_FIELDS = [
  'manufacturer',
  'modelNumber',
  'modelId',
  'serialNumber',
  'assetTag',
  'udi',
  'firmwareVersion',
  'location',
  'department',
  // SSVC inputs of the device (docs/prioritisation.md), validated as on POST /devices.
  'systemExposure',
  'missionImpact',
  'safetyImpact',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** An import holds at most this many devices; a bigger inventory is imported in parts. */
export const MAX_IMPORT_ROWS = 50_000;
/** At most this many row errors are listed; the message gives the full count. */
const MAX_LISTED_ROW_ERRORS = 1_000;

export interface ImportRow {
  /** 1-based: the data row of a CSV (header excluded) or the entry of a Bundle. */
  row: number;
  /** Values as the file gives them; absent when the file leaves the field empty. */
  values: Partial<Record<ImportField, unknown>>;
  /** How the file names each field, for error messages (`udiCarrier[0].carrierHRF` in a Bundle). */
  names: Partial<Record<ImportField, string>>;
}

export interface RowError {
  row: number;
  /** The column or FHIR element; null when the row itself cannot be read. */
  field: string | null;
  message: string;
}

/** What a reader found: the rows it could read and the problems of those it could not. */
export interface ReadResult {
  rows: ImportRow[];
  errors: RowError[];
}

/** 400 with `rows`: the import is refused as a whole, nothing is written. */
export class ImportRejectedError extends InvalidInputError {
  readonly rows: RowError[];

  constructor(errors: RowError[]) {
    const sorted = [...errors].sort((a, b) => a.row - b.row);
    const first = sorted[0];
    const rowsWithErrors = new Set(sorted.map((e) => e.row)).size;
    super(
      `nothing imported: ${sorted.length} ${sorted.length === 1 ? 'problem' : 'problems'} in ${rowsWithErrors} ${rowsWithErrors === 1 ? 'row' : 'rows'}` +
        (first ? `; first: row ${first.row}${first.field ? ` ${first.field}` : ''}: ${first.message}` : '') +
        (sorted.length > MAX_LISTED_ROW_ERRORS ? `; the first ${MAX_LISTED_ROW_ERRORS} are listed` : ''),
    );
    this.rows = sorted.slice(0, MAX_LISTED_ROW_ERRORS);
  }
}

export function tooManyRows(count: number): InvalidInputError {
  return new InvalidInputError(`body: ${count} devices; at most ${MAX_IMPORT_ROWS} can be imported at once, split the file`);
}
