/**
 * Every published UDI string in test/fixtures/udi/udi-examples.json parses to exactly the
 * fields the fixture documents. Fixtures are read from disk, never edited.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ParsedUdi, UdiIssuer } from './types';
import { parseError, parseOk } from './test-helpers';

interface FixtureEntry {
  udi: string;
  source: string;
  note?: string;
  [field: string]: string | undefined;
}
type Section = 'gs1' | 'hibcc' | 'iccbba';
type FixtureFile = Record<Section, FixtureEntry[]> & { about: string };

const FIXTURE_PATH = path.resolve(__dirname, '../../../test/fixtures/udi/udi-examples.json');
const fixtures = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as FixtureFile;

const SECTIONS: Section[] = ['gs1', 'hibcc', 'iccbba'];
const ISSUER: Record<Section, UdiIssuer> = { gs1: 'GS1', hibcc: 'HIBCC', iccbba: 'ICCBBA' };

/** Fixture key -> what the parser returns for it. A fixture key missing here fails the test. */
const READ: Record<string, (udi: ParsedUdi) => string | undefined> = {
  di: (u) => u.deviceIdentifier,
  serial: (u) => u.serialNumber,
  lot: (u) => u.lotNumber,
  expires: (u) => u.expirationDate,
  manufactured: (u) => u.manufactureDate,
  labeler: (u) => u.hibcc?.labelerCode,
  // The fixture's HIBCC "product" is what follows the labeler code: PCN + unit-of-measure digit.
  product: (u) => (u.hibcc ? u.hibcc.productCode + u.hibcc.unitOfMeasure : undefined),
};
const NOT_FIELDS = new Set(['udi', 'source', 'note']);

/**
 * Fields the fixture leaves out but the string does carry, with where the value is confirmed.
 * Everything else the fixture does not list must come back undefined.
 */
const ALSO_CARRIED: Record<string, Record<string, string>> = {
  // $$4 = YYMMDDHH expiry: 20020216 -> 2020-02-02, hour 16 (HIBC LIC secondary format 4).
  '+H123PARTNO1234567890120/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202C': {
    di: 'H123PARTNO1234567890120', // LIC + PCN + UoM, as FHIR example-udi3 codes it (hibcc-di)
    expires: '2020-02-02',
  },
  // AccessGUDID's own parse of this string: DI, serial (Product Divisions), dates (cyyjjj), lot (&,1).
  '=/W4146EB0010T0475=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123': {
    di: 'W4146EB0010T0475',
    serial: '000025',
    expires: '2014-02-01',
    manufactured: '2013-02-01',
    lot: '000000000000XYZ123',
  },
  '=/08717648200274=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123': {
    serial: '000025',
    expires: '2014-02-01',
    manufactured: '2013-02-01',
    lot: '000000000000XYZ123',
  },
};

/** Fixtures that break a rule, and the error the default (strict) mode gives for each. */
const STRICT_ERROR: Record<string, string> = {
  '(01)12345678901234(21)123456789012': 'GTIN check digit is 4, expected 1',
  '011234567890123421123456789012': 'GTIN check digit is 4, expected 1',
  '(01)102698895442(21)1607124656': 'AI (01) GTIN must be 14 digits, got 12 (a GTIN-12 is padded with leading zeros); GTIN check digit is 2, expected 6',
  '+H123PARTNO1234567890120/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202C': 'HIBCC check character is C, expected H',
  '=/08717648200274=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123':
    'ICCBBA Processor Product Identification Code (=/) must be 16 characters (FIN(P) 5 + product code 6 + PDC 5), got 14',
};

/**
 * The one fixture that cannot be read in either mode (it documents no fields): after its check
 * character '1' is removed, '/16D20130202C' is not an 8-digit date. The check character is wrong too.
 */
const UNREADABLE: Record<string, string> = {
  '+B066000325011NS1/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202C1':
    "HIBCC /16D date must be 8 digits YYYYMMDD, got '20130202C'; HIBCC check character is 1, expected -",
};

const cases = SECTIONS.flatMap((section) => fixtures[section].map((entry) => ({ section, entry, label: `${section}: ${entry.udi}` })));

describe('published UDI fixtures', () => {
  it('holds the 13 published strings the tests below rely on', () => {
    expect(cases).toHaveLength(13);
  });

  describe.each(cases)('$label', ({ section, entry }) => {
    const unreadable = UNREADABLE[entry.udi];
    const strictError = STRICT_ERROR[entry.udi];

    if (unreadable === undefined) {
      it('yields exactly the documented fields (lenient mode)', () => {
        const udi = parseOk(entry.udi, { strict: false });
        const documented = Object.keys(entry).filter((key) => !NOT_FIELDS.has(key));
        for (const key of documented) expect(READ).toHaveProperty([key]);
        const expected = { ...ALSO_CARRIED[entry.udi] };
        for (const key of documented) expected[key] = entry[key] ?? '';
        const actual = Object.fromEntries(Object.keys(READ).map((key) => [key, READ[key]?.(udi)]));
        const wanted = Object.fromEntries(Object.keys(READ).map((key) => [key, expected[key]]));
        expect(actual).toEqual(wanted);
        expect(udi.issuer).toBe(ISSUER[section]);
        expect(udi.raw).toBe(entry.udi);
      });
    } else {
      it('is refused in both modes, naming the malformed part and the wrong check character', () => {
        expect(parseError(entry.udi, { strict: false })).toBe(unreadable);
        expect(parseError(entry.udi)).toBe(unreadable);
      });
    }

    if (unreadable !== undefined) return;
    if (strictError === undefined) {
      it('parses in strict mode with no warnings and the same fields as lenient mode', () => {
        const strict = parseOk(entry.udi);
        expect(strict.warnings).toBeUndefined();
        expect(strict).toEqual(parseOk(entry.udi, { strict: false }));
      });
    } else {
      it('is refused in strict mode with an error naming the broken rule', () => {
        expect(parseError(entry.udi)).toBe(strictError);
      });
      it('reports the broken rule as a warning in lenient mode', () => {
        expect(parseOk(entry.udi, { strict: false }).warnings).toEqual(strictError.split('; '));
      });
    }
  });
});

describe('edge cases named in the fixture notes', () => {
  it('keeps the quantity AI (37) in other without failing', () => {
    const udi = parseOk('(01)04012345678901(17)251231(10)LOT12345(37)50');
    expect(udi.other).toEqual({ '37': '50' });
    expect(udi.lotNumber).toBe('LOT12345');
  });

  it('reads the raw element string without parentheses the same as its parenthesised form', () => {
    const raw = parseOk('011234567890123421123456789012', { strict: false });
    const hri = parseOk('(01)12345678901234(21)123456789012', { strict: false });
    expect({ ...raw, raw: '' }).toEqual({ ...hri, raw: '' });
  });

  it('keeps a 12-digit DI as printed (not zero-padded) when reading leniently', () => {
    expect(parseOk('(01)102698895442(21)1607124656', { strict: false }).deviceIdentifier).toBe('102698895442');
  });

  it('returns the ICCBBA Donation Identification Number as distinctIdentifier', () => {
    const udi = parseOk('=/W4146EB0010T0475=,000025=A99971312345600=>014032=}013032&,1000000000000XYZ123');
    expect(udi.distinctIdentifier).toBe('A99971312345600');
  });

  it('returns the HIBCC $$4 expiry hour in hibcc.expirationHour', () => {
    const udi = parseOk('+H123PARTNO1234567890120/$$420020216LOT123456789012345/SXYZ456789012345678/16D20130202C', { strict: false });
    expect(udi.hibcc).toEqual({
      labelerCode: 'H123',
      productCode: 'PARTNO123456789012',
      unitOfMeasure: '0',
      expirationHour: 16,
    });
    expect(udi.deviceIdentifier).toBe('H123PARTNO1234567890120');
  });
});
