/** GTIN (GS1 mod-10) check digits for GTIN-8, -12, -13 and -14. */

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/**
 * Check digit for the digits that precede it (7, 11, 12 or 13 digits; any length works).
 * Weights 3,1,3,1... from the right-hand end of `body`. Returns undefined for non-digits.
 */
export function computeGtinCheckDigit(body: string): number | undefined {
  if (!/^\d+$/.test(body)) return undefined;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `gtin` is 8, 12, 13 or 14 digits and its last digit is the correct check digit. */
export function isValidGtinCheckDigit(gtin: string): boolean {
  if (typeof gtin !== 'string' || !GTIN_LENGTHS.has(gtin.length) || !/^\d+$/.test(gtin)) {
    return false;
  }
  return computeGtinCheckDigit(gtin.slice(0, -1)) === Number(gtin.slice(-1));
}
