import fc from 'fast-check';
import { computeGtinCheckDigit, isValidGtinCheckDigit } from './gtin';

describe('isValidGtinCheckDigit', () => {
  it.each(['10884521062856', '00643169001763', '04012345678901', '08717648200274'])('accepts the published GTIN-14 %s', (gtin) =>
    expect(isValidGtinCheckDigit(gtin)).toBe(true),
  );

  it.each(['4006381333931', '036000291452', '96385074'])('accepts the GTIN-13/12/8 %s', (gtin) => expect(isValidGtinCheckDigit(gtin)).toBe(true));

  it('rejects 12345678901234, whose check digit should be 1', () => {
    expect(isValidGtinCheckDigit('12345678901234')).toBe(false);
    expect(computeGtinCheckDigit('1234567890123')).toBe(1);
  });

  it.each(['', '1234567', '123456789012345', '0084458800328X', ' 0084458800328'])('rejects %p because it is not 8, 12, 13 or 14 digits', (value) =>
    expect(isValidGtinCheckDigit(value)).toBe(false),
  );

  const body = fc.constantFrom(7, 11, 12, 13).chain((length) => fc.stringMatching(new RegExp(`^\\d{${length}}$`)));

  it('accepts every GTIN whose last digit is the computed check digit', () => {
    fc.assert(fc.property(body, (digits) => isValidGtinCheckDigit(digits + String(computeGtinCheckDigit(digits)))));
  });

  it('rejects every GTIN whose last digit is any other digit', () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 1, max: 9 }), (digits, offset) => {
        const wrong = ((computeGtinCheckDigit(digits) ?? 0) + offset) % 10;
        return !isValidGtinCheckDigit(digits + String(wrong));
      }),
    );
  });
});
