import { cursorFields, decodeCursor as decodeFields, encodeCursor as encodeFields } from '../common/cursor-codec';
import { DeviceSort } from './dto/device-query.dto';

/** Opaque keyset cursor: the sort key and id of the last row of a page. */
export interface DeviceCursor {
  sort: DeviceSort;
  value: string;
  id: string;
}

export function encodeCursor(cursor: DeviceCursor): string {
  return encodeFields([cursor.sort, cursor.value, cursor.id]);
}

// Every sort but the serial goes to SQL as a timestamp; lastSeenAt pages through never-seen
// devices as -infinity.
const valueFor = (sort: DeviceSort) =>
  sort === 'serialNumber' ? cursorFields.text(200) : cursorFields.either(cursorFields.instant, cursorFields.exactly('-infinity'));

export function decodeCursor(
  raw: string,
  expectedSort: DeviceSort,
  refusal = 'cursor: is not a cursor from this listing (same sort) or is damaged',
): DeviceCursor {
  const [sort, value, id] = decodeFields(raw, [cursorFields.exactly(expectedSort), valueFor(expectedSort), cursorFields.uuid], refusal) as [
    DeviceSort,
    string,
    string,
  ];
  return { sort, value, id };
}
