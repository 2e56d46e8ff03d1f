import { InvalidInputError } from '../common/domain-errors';
import { DeviceSort } from './dto/device-query.dto';
import { isUuid } from '../common/uuid';

/** Opaque keyset cursor: the sort key and id of the last row of a page. */
export interface DeviceCursor {
  sort: DeviceSort;
  value: string;
  id: string;
}

export function encodeCursor(cursor: DeviceCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** 2026-02-30 matches the pattern but is no day: the calendar must give the same text back. */
function isRealInstant(value: string): boolean {
  const t = Date.parse(value);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 19) === value.slice(0, 19);
}

export function decodeCursor(raw: string, expectedSort: DeviceSort): DeviceCursor {
  try {
    const [sort, value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [DeviceSort, string, string];
    if (sort !== expectedSort || typeof value !== 'string' || typeof id !== 'string' || !isUuid(id)) throw new Error('shape');
    // The value goes to SQL as a timestamp for every sort but the serial: PostgreSQL would refuse
    // a forged one with an error, which must be this 400, not a 500.
    if (sort !== 'serialNumber' && value !== '-infinity' && !(ISO_INSTANT.test(value) && isRealInstant(value))) throw new Error('value');
    if (value.length > 200) throw new Error('value');
    return { sort, value, id };
  } catch {
    throw new InvalidInputError('cursor: is not a cursor from this listing (same sort) or is damaged');
  }
}
