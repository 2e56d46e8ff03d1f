import fc from 'fast-check';
import { isDecimal } from './decimal.validators';

describe('isDecimal', () => {
  it('takes numbers with at most the given decimals, in any notation', () => {
    for (const value of [0, 9.8, 10, -1.5, 1e1, 7.5]) expect(isDecimal(value, 1)).toBe(true);
    for (const value of [1e-7, 9.85, 0.05, Number.NaN, Infinity, '9.8', null]) expect(isDecimal(value, 1)).toBe(false);
  });

  it('never throws, whatever the number (property)', () => {
    fc.assert(
      fc.property(fc.double(), fc.integer({ min: 0, max: 6 }), (value, places) => {
        expect(typeof isDecimal(value, places)).toBe('boolean');
      }),
    );
  });
});
