import { InvalidInputError } from './domain-errors';
import { cursorFields, decodeCursor, encodeCursor } from './cursor-codec';

const ID = '0b8f3c1e-6a52-4d7e-9a0f-2f6c1b7d9e44';
const FIELDS = [cursorFields.int(0, 4), cursorFields.either(cursorFields.number(-1, 10), cursorFields.exactly(null)), cursorFields.uuid, cursorFields.instant];
const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const REFUSAL = 'cursor: is damaged';

describe('cursor codec', () => {
  it('decodes what it encoded', () => {
    const values = [3, 7.5, ID, '2026-11-30T08:15:00.123Z'];
    expect(decodeCursor(encodeCursor(values), FIELDS, REFUSAL)).toEqual(values);
    expect(decodeCursor(encodeCursor([0, null, ID, '2026-11-30T08:15:00Z']), FIELDS, REFUSAL)).toEqual([0, null, ID, '2026-11-30T08:15:00Z']);
  });

  it.each<[string, string]>([
    ['not base64 JSON', '!!!'],
    ['an object, not the list', forge({ rank: 3, cvss: 7.5, id: ID })],
    ['a field too few', forge([3, 7.5, ID])],
    ['a field too many', forge([3, 7.5, ID, '2026-11-30T08:15:00Z', 1])],
    ['a fractional rank', forge([1.5, 7.5, ID, '2026-11-30T08:15:00Z'])],
    ['a rank out of range', forge([99999, 7.5, ID, '2026-11-30T08:15:00Z'])],
    ['a rank as text', forge(['3', 7.5, ID, '2026-11-30T08:15:00Z'])],
    ['a score beyond numeric(3,1)', forge([3, 1e20, ID, '2026-11-30T08:15:00Z'])],
    ['an id that is not a UUID', forge([3, 7.5, 'x'.repeat(36), '2026-11-30T08:15:00Z'])],
    ['year 0000', forge([3, 7.5, ID, '0000-01-01T00:00:00Z'])],
    ['a day that does not exist', forge([3, 7.5, ID, '2023-02-29T00:00:00Z'])],
    ['a week date', forge([3, 7.5, ID, '2024-W01'])],
  ])("refuses %s with the caller's 400", (_, raw) => {
    expect(() => decodeCursor(raw, FIELDS, REFUSAL)).toThrow(InvalidInputError);
    expect(() => decodeCursor(raw, FIELDS, REFUSAL)).toThrow(REFUSAL);
  });

  it('refuses text with a NUL or a lone surrogate', () => {
    expect(() => decodeCursor(forge(['a\u0000']), [cursorFields.text(10)], REFUSAL)).toThrow(REFUSAL);
    expect(() => decodeCursor(forge(['a\ud800']), [cursorFields.text(10)], REFUSAL)).toThrow(REFUSAL);
    expect(decodeCursor(forge(['SN-1']), [cursorFields.text(10)], REFUSAL)).toEqual(['SN-1']);
  });
});
