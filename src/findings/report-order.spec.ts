import { encodeCursor } from '../common/cursor-codec';
import { InvalidInputError } from '../common/domain-errors';
import { decodeTimeCursor, encodeTimeCursor, PRIORITY_CURSOR_TAG, refuseCursorOfAnotherOrder } from './report-order';
import { prefixPattern } from './report-search';

const ID = '6f1c1a52-8a43-4a64-9a0e-4f7f4b1f2c3d';

describe('report orders and their cursors', () => {
  it('reads back a time cursor of its own order, microseconds and infinities kept', () => {
    for (const key of ['2026-12-07T13:45:00.123456Z', 'infinity', '-infinity']) {
      expect(decodeTimeCursor('dueAt', encodeTimeCursor('dueAt', key, ID))).toEqual({ key, id: ID });
    }
  });

  it('refuses a day the calendar lacks, year 0000, and text that is not a time', () => {
    for (const key of ['2026-02-29T00:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2026-12-07T13:45:00Z', 'now', 7]) {
      expect(() => decodeTimeCursor('lastSeen', encodeCursor(['lastSeen', key, ID]))).toThrow(InvalidInputError);
    }
  });

  it('names both orders when a cursor of one is used with another', () => {
    expect(() => refuseCursorOfAnotherOrder(encodeTimeCursor('dueAt', 'infinity', ID), 'priority')).toThrow(
      'cursor: belongs to sort=dueAt, not sort=priority: start again without a cursor',
    );
    expect(() => refuseCursorOfAnotherOrder(encodeCursor([PRIORITY_CURSOR_TAG, 3, 0.5, 9.8, ID]), 'lastSeen')).toThrow(/sort=priority, not sort=lastSeen/);
  });

  it('lets a cursor of its own order, or one that names no order, through to its own decoding', () => {
    expect(() => refuseCursorOfAnotherOrder(encodeTimeCursor('dueAt', 'infinity', ID), 'dueAt')).not.toThrow();
    expect(() => refuseCursorOfAnotherOrder('not base64 json', 'dueAt')).not.toThrow();
  });
});

describe('report search pattern', () => {
  it('is a lower-case prefix whose own LIKE wildcards and escape match themselves', () => {
    expect(prefixPattern('SN-00')).toBe('sn-00%');
    expect(prefixPattern('50%_off\\')).toBe('50\\%\\_off\\\\%');
  });
});
