import fc from 'fast-check';
import { MAX_UDI_LENGTH, parseUdi } from './udi-parser';
import { parseError, parseOk } from './test-helpers';

describe('parseUdi dispatch', () => {
  it.each([
    ['(01)00844588003288', 'GS1'],
    ['0100844588003288', 'GS1'],
    ['+A123BJC5D6E71G', 'HIBCC'],
    ['=/A9997XYZ100T0479', 'ICCBBA'],
    ['=)1TE123456A&)RZ12345678', 'ICCBBA'],
  ])('recognises %s as %s', (input, issuer) => {
    expect(parseOk(input).issuer).toBe(issuer);
  });

  it('trims surrounding whitespace and a trailing scanner CR/LF', () => {
    expect(parseOk('  (01)00844588003288\r\n').deviceIdentifier).toBe('00844588003288');
  });

  it('is strict by default', () => {
    expect(parseUdi('(01)00844588003287').ok).toBe(false);
    expect(parseUdi('(01)00844588003287', { strict: false }).ok).toBe(true);
  });
});

describe('parseUdi bad input', () => {
  it('refuses an empty string', () => {
    expect(parseError('')).toBe('UDI is empty');
  });

  it('refuses a string of whitespace', () => {
    expect(parseError(' \t ')).toBe('UDI is empty');
  });

  it('refuses random text, naming the forms it expects', () => {
    expect(parseError('hello world')).toBe(
      "not a recognised UDI: GS1 starts with an AI such as (01) or 01, HIBCC with '+', ICCBBA with '=' or '&'; got 'hello world'",
    );
  });

  it('refuses input longer than the maximum before parsing it', () => {
    expect(parseError(`(01)00844588003288(10)${'A'.repeat(MAX_UDI_LENGTH)}`)).toBe(
      `UDI is ${MAX_UDI_LENGTH + 22} characters long; at most ${MAX_UDI_LENGTH} are accepted`,
    );
  });

  it('refuses control characters other than GS', () => {
    expect(parseError('(01)00844588003288\u0004')).toBe('UDI contains control character U+0004 at position 19');
  });

  it('refuses a non-string from untyped callers instead of throwing', () => {
    expect(parseUdi(undefined as unknown as string)).toEqual({ ok: false, error: 'UDI must be a string, got undefined' });
    expect(parseUdi(null as unknown as string)).toEqual({ ok: false, error: 'UDI must be a string, got null' });
  });
});

describe('parseUdi properties', () => {
  const neverThrows = (input: string): boolean => {
    const result = parseUdi(input);
    // The internal safety net must never be what answers.
    return result.ok ? typeof result.udi.deviceIdentifier === 'string' : !result.error.startsWith('UDI could not be parsed');
  };

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 600 }), neverThrows), { numRuns: 2000 });
  });

  it('never throws on strings built from UDI syntax', () => {
    const piece = fc.constantFrom(
      '(01)',
      '(17)',
      '(10)',
      '(21)',
      '(11)',
      '(8012)',
      '{01}',
      '01',
      '17',
      '10',
      '21',
      '\u001d',
      '<GS>',
      ']d2',
      '+',
      '/',
      '$$',
      '$$+',
      '$',
      '/S',
      '/16D',
      '/14D',
      '=/',
      '=,',
      '=>',
      '=}',
      '&,1',
      '&>',
      '=+',
      '=)',
      '&)',
      '00844588003288',
      '251231',
      '250200',
      '251399',
      'A',
      'Z9',
      '0',
      '9',
      '*',
      '(',
      ')',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 25 }).map((parts) => parts.join('')),
        neverThrows,
      ),
      {
        numRuns: 3000,
      },
    );
  });

  it('returns raw unchanged and an ISO date whenever a parse succeeds', () => {
    const gs1 = fc
      .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 28 }))
      .map(([y, m, d]) => `(01)00844588003288(17)${[y, m, d].map((n) => String(n).padStart(2, '0')).join('')}`);
    fc.assert(
      fc.property(gs1, (input) => {
        const result = parseUdi(input);
        return result.ok && result.udi.raw === input && /^\d{4}-\d{2}-\d{2}$/.test(result.udi.expirationDate ?? '');
      }),
    );
  });
});
