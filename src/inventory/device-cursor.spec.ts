import { InvalidInputError } from '../common/domain-errors';
import { decodeCursor, encodeCursor } from './device-cursor';
import { DeviceSort } from './dto/device-query.dto';

const ID = '0b8f3c1e-6a52-4d7e-9a0f-2f6c1b7d9e44';
const forge = (parts: unknown): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe('device list cursor', () => {
  it('decodes what it encoded, for each sort', () => {
    for (const [sort, value] of [
      ['createdAt', '2026-11-30T08:15:00.123Z'],
      ['lastSeenAt', '-infinity'],
      ['serialNumber', 'SN-0042'],
    ] as const) {
      expect(decodeCursor(encodeCursor({ sort, value, id: ID }), sort)).toEqual({ sort, value, id: ID });
    }
  });

  it.each<[string, string, DeviceSort]>([
    ['not base64 JSON', 'abc', 'createdAt'],
    ['a cursor of another sort', forge(['serialNumber', 'SN-1', ID]), 'createdAt'],
    ['a forged timestamp', forge(['createdAt', "2026-01-01'; DROP TABLE devices;--", ID]), 'createdAt'],
    ['an impossible day', forge(['lastSeenAt', '2026-02-30T00:00:00.000Z', ID]), 'lastSeenAt'],
    ['a value that is not a string', forge(['createdAt', 5, ID]), 'createdAt'],
    ['an id that is not a UUID', forge(['createdAt', '2026-01-01T00:00:00.000Z', 'x'.repeat(36)]), 'createdAt'],
    ['an oversized serial', forge(['serialNumber', 'S'.repeat(5000), ID]), 'serialNumber'],
  ])('refuses %s with a 400 naming cursor', (_, raw, sort) => {
    expect(() => decodeCursor(raw, sort)).toThrow(InvalidInputError);
    expect(() => decodeCursor(raw, sort)).toThrow(/^cursor: /);
  });
});
