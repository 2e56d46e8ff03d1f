import { InvalidInputError } from '../common/domain-errors';
import { DeviceSort } from './dto/device-query.dto';

/** Opaque keyset cursor: the sort key and id of the last row of a page. */
export interface DeviceCursor {
  sort: DeviceSort;
  value: string;
  id: string;
}

export function encodeCursor(cursor: DeviceCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string, expectedSort: DeviceSort): DeviceCursor {
  try {
    const [sort, value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [DeviceSort, string, string];
    if (sort !== expectedSort || typeof value !== 'string' || typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('shape');
    return { sort, value, id };
  } catch {
    throw new InvalidInputError('cursor: is not a cursor from this listing (same sort) or is damaged');
  }
}
