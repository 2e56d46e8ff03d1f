import { InvalidInputError } from './domain-errors';
import { isIsoInstant } from './iso-date';
import { hasLoneSurrogate } from './unicode';
import { isUuid } from './uuid';

/**
 * One check per position of a keyset cursor. A cursor comes back from the client, so each field
 * is as untrusted as any query parameter: it goes to SQL typed (uuid, timestamptz, smallint,
 * numeric), where a forged value (rank 1.5, year 0000, a 20-digit id) would fail the statement.
 */
export type CursorField = (value: unknown) => boolean;

export const cursorFields = {
  uuid: ((v) => typeof v === 'string' && isUuid(v)) as CursorField,
  instant: ((v) => isIsoInstant(v)) as CursorField,
  int:
    (min: number, max: number): CursorField =>
    (v) =>
      Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max,
  number:
    (min: number, max: number): CursorField =>
    (v) =>
      typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max,
  text:
    (maxLength: number): CursorField =>
    (v) =>
      typeof v === 'string' && v.length <= maxLength && !v.includes('\0') && !hasLoneSurrogate(v),
  exactly:
    (expected: unknown): CursorField =>
    (v) =>
      v === expected,
  either:
    (...checks: CursorField[]): CursorField =>
    (v) =>
      checks.some((check) => check(v)),
};

/** An opaque page token: the listed values, in order, as base64url JSON. */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The values of a cursor this service encoded, each checked by its field; anything else is the
 * caller's 400 (`refusal` names the parameter), never an error from the database.
 */
export function decodeCursor(raw: string, fields: readonly CursorField[], refusal: string): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidInputError(refusal);
  }
  if (!Array.isArray(values) || values.length !== fields.length || !fields.every((check, i) => check(values[i]))) throw new InvalidInputError(refusal);
  return values;
}
