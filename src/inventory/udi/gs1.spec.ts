import { parseError, parseOk } from './test-helpers';

const GS = '\u001d';

describe('GS1 human-readable form', () => {
  it('reads (01), (17), (10) and (21) from parenthesised AIs', () => {
    expect(parseOk('(01)00844588003288(17)141120(10)7654321D(21)10987654d321')).toEqual({
      issuer: 'GS1',
      deviceIdentifier: '00844588003288',
      expirationDate: '2014-11-20',
      lotNumber: '7654321D',
      serialNumber: '10987654d321',
      raw: '(01)00844588003288(17)141120(10)7654321D(21)10987654d321',
    });
  });

  it('reads AIs in any order', () => {
    const udi = parseOk('(21)SN1(10)L1(17)260131(01)00844588003288');
    expect([udi.deviceIdentifier, udi.serialNumber, udi.lotNumber, udi.expirationDate]).toEqual(['00844588003288', 'SN1', 'L1', '2026-01-31']);
  });

  it('tolerates spaces between the elements', () => {
    expect(parseOk(' (01) 00844588003288 (21) SN1 ').serialNumber).toBe('SN1');
  });

  it('maps AI (8012) to softwareVersion', () => {
    expect(parseOk('(01)00844588003288(8012)4.2.1-b7').softwareVersion).toBe('4.2.1-b7');
  });

  it('keeps known AIs without a field of their own (30, 240, 7003) in other', () => {
    const udi = parseOk('(01)00844588003288(30)12(240)REF-9(7003)2512311230');
    expect(udi.other).toEqual({ '30': '12', '240': 'REF-9', '7003': '2512311230' });
  });

  it('keeps an unknown AI in other with a warning, since parentheses delimit its data', () => {
    const udi = parseOk('(01)00844588003288(4300)Somewhere');
    expect(udi.other).toEqual({ '4300': 'Somewhere' });
    expect(udi.warnings).toEqual(['AI (4300) is not known to this parser; kept unvalidated in other']);
  });

  it('rejects an AI whose digit count does not fit its prefix', () => {
    expect(parseError('(01)00844588003288(011)X')).toBe("(011) is not a GS1 AI: AIs starting '01' have 2 digits");
  });

  it('rejects a fixed-length AI of the wrong length', () => {
    expect(parseError('(01)00844588003288(17)25123')).toBe('AI (17) expiration date must be 6 characters, got 5');
  });

  it('rejects text before the first AI', () => {
    expect(parseError('(1)(01)00844588003288')).toMatch(/must start with an AI in parentheses/);
  });
});

describe('GS1 element string (as scanned)', () => {
  it('ends a variable-length AI at a GS character', () => {
    const udi = parseOk(`0100844588003288102024A${GS}21XYZ123${GS}17270101`);
    expect([udi.lotNumber, udi.serialNumber, udi.expirationDate]).toEqual(['2024A', 'XYZ123', '2027-01-01']);
  });

  it('ends a variable-length AI at the end of the string', () => {
    expect(parseOk('01008445880032881726010121ABC').serialNumber).toBe('ABC');
  });

  it('needs no GS after a fixed-length AI', () => {
    expect(parseOk('010084458800328811250101172601011012').manufactureDate).toBe('2025-01-01');
  });

  it('accepts a GS after a fixed-length AI', () => {
    expect(parseOk(`0100844588003288${GS}17260101`).expirationDate).toBe('2026-01-01');
  });

  it.each([
    ['<GS>', '<GS>'],
    ['[GS]', '[GS]'],
    ['{GS}', '{GS}'],
    ['<FNC1>', '<FNC1>'],
    ['lower-case <gs>', '<gs>'],
    ['U+241D', '\u241d'],
  ])('treats the textual separator %s as GS', (_name, separator) => {
    const udi = parseOk(`010084458800328810LOT7${separator}21SER9`);
    expect([udi.lotNumber, udi.serialNumber]).toEqual(['LOT7', 'SER9']);
  });

  it.each([']C1', ']d2', ']Q3', ']e0'])('drops the %s symbology identifier', (prefix) => {
    expect(parseOk(`${prefix}0100844588003288`).deviceIdentifier).toBe('00844588003288');
  });

  it('drops a leading FNC1 sent as GS', () => {
    expect(parseOk(`${GS}0100844588003288`).deviceIdentifier).toBe('00844588003288');
  });

  it('keeps the scanned string untouched in raw', () => {
    expect(parseOk(`]d20100844588003288${GS}`).raw).toBe(`]d20100844588003288${GS}`);
  });

  it('reports a truncated fixed-length AI', () => {
    expect(parseError('0100844588003')).toBe('AI (01) GTIN needs 14 characters, got 11 (truncated)');
  });

  it('reports a fixed-length AI cut short by a GS', () => {
    expect(parseError(`01008445880032881725${GS}10A`)).toBe('AI (17) expiration date needs 6 characters, got 2 (truncated)');
  });

  it('refuses an unknown AI, whose data length cannot be known', () => {
    expect(parseError('01008445880032884300ABC')).toBe('unknown GS1 AI (4300) at position 17: its data length is unknown, so the rest cannot be split');
  });

  it('refuses an AI prefix that GS1 does not define', () => {
    expect(parseError('01008445880032885512')).toBe("unknown GS1 AI starting '55' at position 17: its length is unknown, so the rest cannot be split");
  });

  it('refuses a lot longer than 20 characters, hinting at a missing GS', () => {
    expect(parseError('010084458800328810ABCDEFGHIJKLMNOPQRSTU21X')).toBe(
      'AI (10) lot number is 24 characters; the maximum is 20 (is a GS separator missing?)',
    );
  });
});

describe('GS1 dates', () => {
  it('reads DD=00 in AI (17) as the last day of the month', () => {
    expect(parseOk('(01)00844588003288(17)250200').expirationDate).toBe('2025-02-28');
  });

  it('reads DD=00 in AI (17) of a leap-year February as the 29th', () => {
    expect(parseOk('(01)00844588003288(17)240200').expirationDate).toBe('2024-02-29');
  });

  it('reads DD=00 in AI (11) as the 1st of the month and says so', () => {
    const udi = parseOk('(01)00844588003288(11)250300');
    expect(udi.manufactureDate).toBe('2025-03-01');
    expect(udi.warnings).toEqual(["AI (11) production date '250300' has no day (00); read as the 1st of the month"]);
  });

  it('refuses month 13', () => {
    expect(parseError('(01)00844588003288(17)251301')).toBe("AI (17) expiration date '251301' has month 13 (must be 01-12)");
  });

  it('refuses month 00', () => {
    expect(parseError('(01)00844588003288(11)250015')).toBe("AI (11) production date '250015' has month 00 (must be 01-12)");
  });

  it('refuses 29 February outside a leap year', () => {
    expect(parseError('(01)00844588003288(17)250229')).toBe("AI (17) expiration date '250229' has day 29, but 2025-02 has 28 days");
  });

  it('refuses a date that is not digits', () => {
    expect(parseError('(01)00844588003288(17)25AB01')).toBe("AI (17) expiration date must be digits only, got '25AB01'");
  });

  it('also validates dates it only keeps in other, such as (15)', () => {
    expect(parseError('(01)00844588003288(15)251301')).toMatch(/month 13/);
  });

  it('places a two-digit year no more than 49 years back (GS1 7.12 window)', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    expect(parseOk('(01)00844588003288(11)760101', { now }).manufactureDate).toBe('1976-01-01');
    expect(parseOk('(01)00844588003288(17)750101', { now }).expirationDate).toBe('2075-01-01');
  });
});

describe('GS1 device identifier', () => {
  it('refuses a wrong GTIN check digit, naming the expected digit', () => {
    expect(parseError('(01)00844588003287')).toBe('GTIN check digit is 7, expected 8');
  });

  it('returns a wrong GTIN check digit as a warning in lenient mode', () => {
    expect(parseOk('(01)00844588003287', { strict: false }).warnings).toEqual(['GTIN check digit is 7, expected 8']);
  });

  it('refuses a GTIN with letters in both modes', () => {
    expect(parseError('(01)0084458800328A', { strict: false })).toBe("AI (01) GTIN must be digits only, got '0084458800328A'");
  });

  it('refuses a GTIN of 11 digits in both modes', () => {
    expect(parseError('(01)00844588003', { strict: false })).toBe('AI (01) GTIN must be 14 digits, got 11');
  });

  it('accepts a printed GTIN-13 leniently, as printed and with a warning', () => {
    const udi = parseOk('(01)0844588003288', { strict: false });
    expect(udi.deviceIdentifier).toBe('0844588003288');
    expect(udi.warnings).toEqual(['AI (01) GTIN must be 14 digits, got 13 (a GTIN-13 is padded with leading zeros)']);
  });

  it('refuses a string without AI (01)', () => {
    expect(parseError('(17)251231(10)LOT1')).toBe('GS1 string has no AI (01) GTIN, so it carries no device identifier');
  });

  it('refuses the same AI twice with different values', () => {
    expect(parseError('(01)00844588003288(10)A(10)B')).toBe("AI (10) appears twice with different values 'A' and 'B'");
  });

  it('accepts the same AI repeated with the same value', () => {
    expect(parseOk('(01)00844588003288(10)A(10)A').lotNumber).toBe('A');
  });

  it('refuses characters outside the GS1 character set in a lot number', () => {
    expect(parseError('(01)00844588003288(10)LOT 1')).toBe("AI (10) lot number contains ' ', which is not allowed in GS1 data");
  });
});
