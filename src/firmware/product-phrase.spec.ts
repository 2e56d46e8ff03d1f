import fc from 'fast-check';
import { rangeFromProductPhrase } from './product-phrase';
import { parseRange } from './version-range';

describe('rangeFromProductPhrase', () => {
  it.each([
    ['All versions', '*'],
    ['Alaris PC Unit: All versions', '*'],
    ['any version', '*'],
    ['versions prior to Version 8.2.2', '<8.2.2'],
    ['VC150: prior to Version 1.7.15', '<1.7.15'],
    ['AnyDana-A: All versions prior to 3.0', '<3.0'],
    ['all versions before v2.4.1.', '<2.4.1'],
    ['Versions earlier than B.06.18', '<B.06.18'],
    ['Versions 9.33 and prior', '<=9.33'],
    ['2.1 and prior', '<=2.1'],
    ['2.3.6 and  below', '<=2.3.6'],
    ['Brilliance CT Big Bore: Versions 2.3.5 and below', '<=2.3.5'],
    ['Brilliance iCT: SP Versions 3.2.4 and below', '<=3.2.4'],
    ['PerformA: Version 3.0.0.0 and previous versions', '<=3.0.0.0'],
    ['ReadA Overview: Version 1.1.0.2 and previous', '<=1.1.0.2'],
    ['IntelliVue X3 Versions N and prior', '<=N'],
    ['BD Alaris Point-of-Care Unit (PCU) Model 8015 v12.1.3 and prior', '<=12.1.3'],
    ['Versions 5.x and earlier', '<=5.x'],
    ['versions up to and including 4.2', '<=4.2'],
    ['Version 2.0 and later', '>=2.0'],
    ['< 8.2.2', '<8.2.2'],
    ['AW: <= 4.6', '<=4.6'],
    ['≤ 2.6A', '<=2.6A'],
    ['Database (DB) Manager: Version 3.0.1.0', '=3.0.1.0'],
  ])('reads %j as %j', (text, expected) => {
    expect(rangeFromProductPhrase(text)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'Sigma Spectrum',
    'Baxter Spectrum IQ: (v9.x) model 35700BAX3',
    'Baxter Spectrum IQ LVP: (v9.x) with Wireless Battery Modules v22D19 to v22D28',
    'BD Alaris Point-of-Care Unit (PCU) Model 8015',
    '1.1.3 MR Build 11 and prior',
    'versions prior to May 2018',
    'versions prior to 8/30/2024',
    'prior to Version 1.7.15 of the controller',
    'Versions C.02 and C.03',
    'AW: >= 4.0 | <= 4.6',
  ])('finds no phrase in %j', (text) => {
    expect(rangeFromProductPhrase(text)).toBeNull();
  });

  it('returns only expressions that parseRange reads', () => {
    const word = fc.constantFrom('All', 'versions', 'Version', 'prior', 'to', 'and', 'below', 'v', '2.1', 'N', '<=', ':', 'x', '5.x', 'later', 'model');
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 8 }).map((w) => w.join(' ')),
        (text) => {
          const expression = rangeFromProductPhrase(text);
          return expression === null || parseRange(expression).ok;
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => rangeFromProductPhrase(text) === null || typeof rangeFromProductPhrase(text) === 'string'));
  });
});
