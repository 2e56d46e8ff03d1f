import { parseError, parseOk } from './test-helpers';

const DI = '=/A9997XYZ100T0479';

describe('ICCBBA (ISBT 128)', () => {
  it('reads the ST-017 compound message example', () => {
    expect(parseOk('=+04000=/A9997XYZ100T0479=A99991712345600=,000012=>019031')).toEqual({
      issuer: 'ICCBBA',
      deviceIdentifier: 'A9997XYZ100T0479',
      distinctIdentifier: 'A99991712345600',
      serialNumber: '000012',
      expirationDate: '2019-01-31',
      raw: '=+04000=/A9997XYZ100T0479=A99991712345600=,000012=>019031',
    });
  });

  it('reads the data structures in any order', () => {
    const udi = parseOk(`&,1LOT42=>025365=,000001${DI}`);
    expect([udi.deviceIdentifier, udi.lotNumber, udi.expirationDate, udi.serialNumber]).toEqual(['A9997XYZ100T0479', 'LOT42', '2025-12-31', '000001']);
  });

  it('reads cyyjjj day 060 of a leap year as 29 February', () => {
    expect(parseOk(`${DI}=}024060`).manufactureDate).toBe('2024-02-29');
  });

  it('reads the date-and-time forms &> and &}', () => {
    const udi = parseOk(`${DI}&>0250322359&}0240011200`);
    expect([udi.expirationDate, udi.manufactureDate]).toEqual(['2025-02-01', '2024-01-01']);
  });

  it('reads the blood-container form =) and &) (FHIR example-udi4)', () => {
    const udi = parseOk('=)1TE123456A&)RZ12345678');
    expect([udi.deviceIdentifier, udi.lotNumber]).toEqual(['1TE123456A', 'RZ12345678']);
  });

  it('keeps an uninterpreted data structure in other with a warning', () => {
    const udi = parseOk(`${DI}&,2ABC123`);
    expect(udi.other).toEqual({ '&,2': 'ABC123' });
    expect(udi.warnings).toEqual(["ICCBBA data structure '&,2' is not interpreted; kept in other"]);
  });

  it('refuses a string without a device identifier', () => {
    expect(parseError('=,000025=>014032')).toBe('ICCBBA string has no Processor Product Identification Code (=/), so it carries no device identifier');
  });

  it('refuses day-of-year 000', () => {
    expect(parseError(`${DI}=>025000`)).toBe("ICCBBA expiration date (=>) '025000' has day-of-year 000, but 2025 has 365 days");
  });

  it('refuses a truncated expiry', () => {
    expect(parseError(`${DI}=>0250`)).toBe("ICCBBA expiration date (=>) must be 6 digits cyyjjj, got '0250'");
  });

  it('refuses a Product Divisions code that is not 6 characters', () => {
    expect(parseError(`${DI}=,00025`)).toBe("ICCBBA Product Divisions (=,) serial number must be 6 letters or digits, got '00025' (5)");
  });

  it('refuses a lot longer than 18 characters', () => {
    expect(parseError(`${DI}&,10000000000000XYZ1234`)).toMatch(/MPHO lot number \(&,1\) must be 1-18/);
  });

  it('refuses a compound message whose count does not match what follows', () => {
    expect(parseError(`=+03000${DI}=,000012`)).toBe('ICCBBA compound message announces 3 data structures but 2 follow');
  });

  it('refuses the same data structure twice', () => {
    expect(parseError(`${DI}=,000001=,000002`)).toBe("ICCBBA data structure '=,' appears twice");
  });

  it('refuses a DIN that is not 15 characters', () => {
    expect(parseError(`${DI}=A999917123456`)).toBe("ICCBBA Donation Identification Number must be 15 letters or digits, got 'A999917123456' (13)");
  });
});
