import { hibccCheckCharacter } from './hibcc';
import { parseError, parseOk } from './test-helpers';

/** Appends the correct mod-43 check character (verified below against third-party strings). */
const withCheck = (body: string): string => body + (hibccCheckCharacter(body) ?? '?');

describe('hibccCheckCharacter', () => {
  // Strings with check characters published by others (BarcodeParserBuilder tests, python hibc README).
  it.each([
    ['+A123ABCDEFGHI1234567891/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202', '$'],
    ['+A99912345/$$52001510X3/16D20111212/S77DE1G45', '-'],
    ['+J123AQ3451/$$3231231BC34567/S4012', 'R'],
    ['+A123BJC5D6E71', 'G'],
  ])('computes the published check character of %s', (body, check) => {
    expect(hibccCheckCharacter(body)).toBe(check);
  });

  it('returns undefined for a character outside the HIBCC set', () => {
    expect(hibccCheckCharacter('+a123')).toBeUndefined();
  });
});

describe('HIBCC primary data', () => {
  it('splits labeler code, product code and unit of measure; the DI is all three', () => {
    expect(parseOk('+A123BJC5D6E71G')).toEqual({
      issuer: 'HIBCC',
      deviceIdentifier: 'A123BJC5D6E71',
      hibcc: { labelerCode: 'A123', productCode: 'BJC5D6E7', unitOfMeasure: '1' },
      raw: '+A123BJC5D6E71G',
    });
  });

  it('accepts the Code 39 asterisks printed around the text', () => {
    expect(parseOk('*+A123BJC5D6E71G*').deviceIdentifier).toBe('A123BJC5D6E71');
  });

  it('refuses a wrong check character, naming the expected one', () => {
    expect(parseError('+A123BJC5D6E71H')).toBe('HIBCC check character is H, expected G');
  });

  it('refuses a product code longer than 18 characters', () => {
    expect(parseError(withCheck('+A123ABCDEFGHIJ0123456781'))).toBe("HIBCC product code 'ABCDEFGHIJ012345678' must be 1-18 letters or digits (got 19)");
  });

  it('refuses a labeler code that starts with a digit as secondary-only data', () => {
    expect(parseError(withCheck('+1234ABC1'))).toMatch(/no primary part/);
  });

  it('refuses a secondary-only label, which has no device identifier', () => {
    expect(parseError(withCheck('+$$3251231LOT1G'))).toMatch(/a secondary-only label carries no device identifier/);
  });

  it('refuses lower-case letters, which HIBCC does not use', () => {
    expect(parseError('+a123BJC5D6E71G')).toBe("HIBCC data may contain only 0-9, A-Z, '-', '.', space, '$', '/', '+', '%'; found 'a' at position 2");
  });

  it('refuses a string too short to hold a primary', () => {
    expect(parseError('+A12')).toMatch(/HIBCC string is too short \(4 characters\)/);
  });
});

describe('HIBCC secondary data', () => {
  const primary = '+A99912345/';

  it.each([
    ['$$0125', '2025-01-31'], // MMYY: last day of the month
    ['$$2013125', '2025-01-31'], // MMDDYY
    ['$$3250131', '2025-01-31'], // YYMMDD
    ['$$425013123', '2025-01-31'], // YYMMDDHH
    ['$$525031', '2025-01-31'], // YYJJJ
    ['$$62503123', '2025-01-31'], // YYJJJHH
    ['25031', '2025-01-31'], // original format: YYJJJ without '$'
  ])('reads the expiry of %s as %s', (secondary, expires) => {
    const udi = parseOk(withCheck(`${primary}${secondary}LOT9`));
    expect([udi.expirationDate, udi.lotNumber]).toEqual([expires, 'LOT9']);
  });

  it('reads $$7 as a lot with no expiry', () => {
    const udi = parseOk(withCheck(`${primary}$$7LOT9`));
    expect([udi.expirationDate, udi.lotNumber]).toEqual([undefined, 'LOT9']);
  });

  it('reads $$+ as a serial number instead of a lot', () => {
    const udi = parseOk(withCheck(`${primary}$$+3250131SER9`));
    expect([udi.serialNumber, udi.lotNumber, udi.expirationDate]).toEqual(['SER9', undefined, '2025-01-31']);
  });

  it('reads $+ as a serial and $ as a lot, both without expiry', () => {
    expect(parseOk(withCheck(`${primary}$+SER9`)).serialNumber).toBe('SER9');
    expect(parseOk(withCheck(`${primary}$LOT9`)).lotNumber).toBe('LOT9');
  });

  it('reads the quantity of $$8 and $$9 into hibcc.quantity', () => {
    expect(parseOk(withCheck(`${primary}$$812LOT9`)).hibcc?.quantity).toBe(12);
    expect(parseOk(withCheck(`${primary}$$902345LOT9`)).hibcc?.quantity).toBe(2345);
  });

  it('keeps the hour of a YYMMDDHH expiry in hibcc.expirationHour', () => {
    expect(parseOk(withCheck(`${primary}$$425013123LOT9`)).hibcc?.expirationHour).toBe(23);
  });

  it('reads /S serial, /14D expiry and /16D manufacture date', () => {
    const udi = parseOk(withCheck(`${primary}$$7LOT9/SSER9/14D20300115/16D20240229`));
    expect([udi.serialNumber, udi.expirationDate, udi.manufactureDate]).toEqual(['SER9', '2030-01-15', '2024-02-29']);
  });

  it('reads a lot line and a separate serial line in one symbol', () => {
    const udi = parseOk('+A99912345/$$81210X3/$$+320090677DEFG45/16D20111212U');
    expect([udi.lotNumber, udi.serialNumber, udi.expirationDate]).toEqual(['10X3', '77DEFG45', '2020-09-06']);
  });

  it('keeps an unknown supplemental identifier in other with a warning', () => {
    const udi = parseOk(withCheck(`${primary}$$7LOT9/9ZABC`));
    expect(udi.other).toEqual({ '9Z': 'ABC' });
    expect(udi.warnings).toEqual(["HIBCC supplemental data identifier '9Z' is not interpreted; kept in other"]);
  });

  it('refuses month 13 in an expiry', () => {
    expect(parseError(withCheck(`${primary}$$3251331LOT9`))).toBe("HIBCC expiration date '251331' (YYMMDD) has month 13 (must be 01-12)");
  });

  it('refuses day-of-year 366 in a non-leap year', () => {
    expect(parseError(withCheck(`${primary}$$525366LOT9`))).toBe("HIBCC expiration date '25366' (YYJJJ) has day-of-year 366, but 2025 has 365 days");
  });

  it('refuses hour 24', () => {
    expect(parseError(withCheck(`${primary}$$425013124LOT9`))).toBe("HIBCC expiration date '25013124' (YYMMDDHH) has hour 24 (must be 00-23)");
  });

  it('refuses a truncated expiry', () => {
    expect(parseError(withCheck(`${primary}$$32501`))).toBe("HIBCC expiration date must be 6 digits YYMMDD, got '2501'");
  });

  it('refuses a /16D date that is not 8 digits', () => {
    expect(parseError(withCheck(`${primary}$$7LOT9/16D2013020`))).toBe("HIBCC /16D date must be 8 digits YYYYMMDD, got '2013020'");
  });

  it('refuses a lot longer than 18 characters', () => {
    expect(parseError(withCheck(`${primary}$$7ABCDEFGHIJ0123456789`))).toBe('HIBCC lot number is 20 characters; the maximum is 18');
  });

  it('refuses two different serial numbers', () => {
    expect(parseError(withCheck(`${primary}$+SER1/SSER2`))).toBe('HIBCC serial number appears twice with different values');
  });
});
