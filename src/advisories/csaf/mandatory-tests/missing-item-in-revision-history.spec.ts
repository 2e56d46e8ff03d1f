import { missingItemInRevisionHistory } from './missing-item-in-revision-history';

const at = (day: number): string => `2021-07-${String(day).padStart(2, '0')}T10:00:00.000Z`;
const doc = (history: [number, string][]): unknown => ({
  document: { tracking: { revision_history: history.map(([day, number]) => ({ date: at(day), number, summary: '' })) } },
});
const messages = (d: unknown): string[] => missingItemInRevisionHistory(d).map((e) => e.message);

describe('mandatory test 6.1.21: missing item in revision history', () => {
  it.each([
    [
      '1, 2 on two days',
      [
        [21, '1'],
        [22, '2'],
      ],
    ],
    [
      '0, 1',
      [
        [21, '0'],
        [22, '1'],
      ],
    ],
    [
      '2 listed before 1 on the same day',
      [
        [21, '2'],
        [21, '1'],
      ],
    ],
    [
      '2.0.0 listed before 1.0.0 on the same day',
      [
        [21, '2.0.0'],
        [21, '1.0.0'],
      ],
    ],
    [
      'newest first over several days',
      [
        [23, '3'],
        [22, '2'],
        [21, '1'],
      ],
    ],
    [
      'minor versions of one major',
      [
        [21, '1.0.0'],
        [22, '1.1.0'],
        [23, '2.0.0'],
      ],
    ],
  ] as [string, [number, string][]][])('passes %s', (_label, history) => {
    expect(missingItemInRevisionHistory(doc(history))).toEqual([]);
  });

  it('fails a history starting with 2 and points at the revision history', () => {
    expect(
      missingItemInRevisionHistory(
        doc([
          [21, '2'],
          [22, '3'],
        ]),
      ),
    ).toEqual([
      { path: '/document/tracking/revision_history', message: expect.stringMatching(/starts with version 2, not 0 or 1/), test: 'mandatoryTest_6_1_21' },
    ]);
  });

  it('fails a history that omits a version, naming it', () => {
    expect(
      messages(
        doc([
          [21, '1'],
          [22, '3'],
        ]),
      ),
    ).toEqual([expect.stringMatching(/omits version 2 \(between 1 and 3/)]);
    expect(
      messages(
        doc([
          [21, '1.0.0'],
          [22, '4.0.0'],
        ]),
      ),
    ).toEqual([expect.stringMatching(/omits version 2 to 3 /)]);
  });

  it('orders equal dates by number: 1 then 3 on one day still omits 2', () => {
    expect(
      messages(
        doc([
          [21, '3'],
          [21, '1'],
        ]),
      ),
    ).toEqual([expect.stringMatching(/omits version 2/)]);
  });

  it.each([
    ['no document', undefined],
    ['no revision history', { document: { tracking: {} } }],
    ['an empty revision history', { document: { tracking: { revision_history: [] } } }],
    ['an item without a date', { document: { tracking: { revision_history: [{ number: '2' }] } } }],
    ['a number that is no version', doc([[21, 'two']])],
  ])('leaves %s to the schema test', (_label, d) => {
    expect(missingItemInRevisionHistory(d)).toEqual([]);
  });
});
