import { isIsoInstant } from '../common/iso-date';

/**
 * FIRST's daily EPSS file, as published at https://epss.empiricalsecurity.com/epss_scores-current.csv.gz:
 *
 *   #model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z
 *   cve,epss,percentile
 *   CVE-1999-0001,0.01183,0.77974
 *
 * Pure: no I/O. Every problem names the line (1 = the comment line) and the field.
 */
export interface EpssHeader {
  modelVersion: string;
  /** As published (an ISO 8601 instant). */
  scoreDate: string;
}

export interface EpssScore {
  cve: string;
  epss: string;
  percentile: string;
  /** Line of the file the score came from, for messages about it later (duplicates). */
  line: number;
}

export class EpssFormatError extends Error {
  constructor(
    readonly line: number | null,
    readonly field: string,
    readonly problem: string,
  ) {
    super(line === null ? `${field}: ${problem}` : `line ${line}: ${field}: ${problem}`);
  }
}

/** The CVE id pattern of CISA's KEV schema: the number part has 4 to 19 digits. */
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
/** A probability written as the feed writes it: 0, 1, or a decimal between (exponents refused: never seen in the feed). */
const PROBABILITY = /^(0(\.\d+)?|1(\.0+)?|\.\d+)$/;
const MODEL_VERSION = /^[A-Za-z0-9._+-]{1,100}$/;
export const EPSS_COLUMNS = ['cve', 'epss', 'percentile'] as const;

/** Line 1: `#model_version:<v>,score_date:<ISO instant>`; other `key:value` pairs are ignored (a later model may add some). */
export function parseEpssHeader(text: string): EpssHeader {
  const line = text.replace(/^\uFEFF/, '').trimEnd();
  if (!line.startsWith('#')) throw new EpssFormatError(1, 'model_version', 'the first line must be "#model_version:<version>,score_date:<ISO 8601 time>"');
  const pairs = new Map<string, string>();
  for (const part of line.slice(1).split(',')) {
    const colon = part.indexOf(':');
    if (colon > 0) pairs.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  const modelVersion = pairs.get('model_version');
  if (modelVersion === undefined) throw new EpssFormatError(1, 'model_version', 'is missing from the first line');
  if (!MODEL_VERSION.test(modelVersion)) throw new EpssFormatError(1, 'model_version', 'must be 1-100 letters, digits, . _ + or -');
  const scoreDate = pairs.get('score_date');
  if (scoreDate === undefined) throw new EpssFormatError(1, 'score_date', 'is missing from the first line');
  if (!isIsoInstant(scoreDate)) throw new EpssFormatError(1, 'score_date', `must be an ISO 8601 date-time with its offset, got "${clip(scoreDate)}"`);
  return { modelVersion, scoreDate };
}

/** Line 2: the column names, exactly `cve,epss,percentile`. */
export function checkEpssColumns(record: string[], line: number): void {
  const names = record.map((c) => c.trim().toLowerCase());
  if (names.length !== EPSS_COLUMNS.length || names.some((n, i) => n !== EPSS_COLUMNS[i])) {
    throw new EpssFormatError(line, 'header', `must be "${EPSS_COLUMNS.join(',')}", got "${clip(record.join(','))}"`);
  }
}

/** One score line. Values keep their text: PostgreSQL's numeric reads them exactly. */
export function parseEpssRow(record: string[], line: number): EpssScore {
  if (record.length !== EPSS_COLUMNS.length) throw new EpssFormatError(line, 'row', `must have 3 fields (cve,epss,percentile), got ${record.length}`);
  const [cve, epss, percentile] = record.map((c) => c.trim());
  if (!CVE_ID.test(cve)) throw new EpssFormatError(line, 'cve', `must be a CVE id like CVE-2019-0708, got "${clip(cve)}"`);
  if (!PROBABILITY.test(epss)) throw new EpssFormatError(line, 'epss', `must be a number from 0 to 1, got "${clip(epss)}"`);
  if (!PROBABILITY.test(percentile)) throw new EpssFormatError(line, 'percentile', `must be a number from 0 to 1, got "${clip(percentile)}"`);
  return { cve, epss, percentile, line };
}

const clip = (s: string): string => (s.length > 60 ? `${s.slice(0, 60)}...` : s);
