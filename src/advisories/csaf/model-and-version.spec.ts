import fc from 'fast-check';
import { parseRange, rangeContains } from '../../firmware';
import { readModelAndVersion } from './model-and-version';

describe('readModelAndVersion', () => {
  it.each([
    ['8.x model 35700BAX2', '8.x', ['35700BAX2']],
    ['6.x model 35700BAX', '6.x', ['35700BAX']],
    ['9.x model 35700BAX3', '9.x', ['35700BAX3']],
    ['(v9.x) model 35700BAX3', '9.x', ['35700BAX3']],
    ['v8.x model 35700BAX2', '8.x', ['35700BAX2']],
    ['Sigma Spectrum: v8.x model 35700BAX2', '8.x', ['35700BAX2']],
    ['Baxter Spectrum IQ: (v9.x) model 35700BAX3', '9.x', ['35700BAX3']],
    ['8.00.01 model 35700BAX2', '8.00.01', ['35700BAX2']],
    ['version 8.00.01 (model 35700BAX2)', '8.00.01', ['35700BAX2']],
    ['firmware v12.1.3, model 8015', '12.1.3', ['8015']],
    ['model 35700BAX2 v8.x', '8.x', ['35700BAX2']],
    ['Model 8015, version 12.1.3', '12.1.3', ['8015']],
    ['models 35700BAX2 and 35700BAX3 8.x', '8.x', ['35700BAX2', '35700BAX3']],
    ['5.x.x models MX-450, MX-550', '5.x.x', ['MX-450', 'MX-550']],
    ['model no. 35700BAX2 9.*', '9.*', ['35700BAX2']],
  ])('reads %j as versions %j of models %j', (text, versions, modelNumbers) => {
    expect(readModelAndVersion(text)).toEqual({ versions, modelNumbers });
  });

  it.each([
    '',
    '8.x',
    'Sigma Spectrum',
    'model 35700BAX2',
    'model 35700BAX2v8',
    '35700BAX2 model 8',
    // A component's versions follow: the pump's series alone would flag on a guess.
    '9.x (with Wireless Battery Modules >= 22D19 | <= v22D28)',
    'Baxter Spectrum IQ LVP: (v9.x) with Wireless Battery Modules v22D19 to v22D28',
    '8.x (Wireless Battery Modules v17 | v17D19 >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28)',
    '8.x model 35700BAX2 with Wireless Battery Module v17',
    'v9.x) model 35700BAX3',
    '(v9.x model 35700BAX3',
    'model BAX 8.x',
    'versions prior to 8.x model',
    '<=12.1.3',
  ])('reads %j as no model-and-version pair', (text) => {
    expect(readModelAndVersion(text)).toBeNull();
  });

  it('reads a model number that starts with "NO" as the model number, not as "model no."', () => {
    // Found by the property below: "models NO0, 0" lost its first model to the "no." of "model no.".
    expect(readModelAndVersion('(0.0) models NO0, 0')).toEqual({ versions: '0.0', modelNumbers: ['NO0', '0'] });
    expect(readModelAndVersion('8.x model no. 35700BAX2')).toEqual({ versions: '8.x', modelNumbers: ['35700BAX2'] });
    expect(readModelAndVersion('8.x model no 35700BAX2')).toEqual({ versions: '8.x', modelNumbers: ['35700BAX2'] });
  });

  it('reads the series so that 8.01.00 is inside 8.x and 9.0 and 7.99 are not', () => {
    const read = readModelAndVersion('8.x model 35700BAX2');
    const range = parseRange(read!.versions);
    if (!range.ok) throw new Error(range.error);
    expect(['8.01.00', '8.00.01', '8.0'].map((v) => rangeContains(range.range, v))).toEqual(['in', 'in', 'in']);
    expect(['9.0', '7.99', '9.00.01'].map((v) => rangeContains(range.range, v))).toEqual(['out', 'out', 'out']);
  });

  const series = fc
    .tuple(fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 2 }))
    .map(([fixed, wildcards]) => [...fixed.map(String), ...Array(wildcards).fill('x')].join('.'));
  const exact = fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 2, maxLength: 4 }).map((parts) => parts.join('.'));
  const version = fc.oneof(series, exact);
  const modelNumber = fc
    .tuple(fc.stringMatching(/^[A-Z]{0,4}$/), fc.integer({ min: 0, max: 99999 }), fc.stringMatching(/^[A-Z0-9]{0,4}$/))
    .map(([a, n, b]) => `${a}${n}${b}`);

  it('property: every spelling of a version and a model reads back as exactly that pair', () => {
    fc.assert(
      fc.property(
        version,
        fc.uniqueArray(modelNumber, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.constantFrom('', 'v', 'V'),
        fc.constantFrom('', 'Pump X: '),
        (v, models, modelFirst, prefix, name) => {
          const versionText = `${prefix}${v}`;
          const modelText = `${models.length > 1 ? 'models' : 'model'} ${models.join(', ')}`;
          const text = name + (modelFirst ? `${modelText} ${versionText}` : `(${versionText}) ${modelText}`);
          expect(readModelAndVersion(text)).toEqual({ versions: v, modelNumbers: models });
        },
      ),
    );
  });

  it('property: whatever it reads is a range parseRange accepts; it never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          fc.tuple(version, modelNumber, fc.string({ maxLength: 10 })).map(([v, m, junk]) => `${v} model ${m}${junk}`),
        ),
        (text) => {
          const read = readModelAndVersion(text);
          if (read) {
            expect(parseRange(read.versions).ok).toBe(true);
            expect(read.modelNumbers.length).toBeGreaterThan(0);
            for (const m of read.modelNumbers) expect(m).toMatch(/\d/);
          }
        },
      ),
    );
  });

  it('property: text after the model (a component, a qualifier) is never read past', () => {
    fc.assert(
      fc.property(
        version,
        modelNumber,
        fc.constantFrom(' with Wireless Battery Modules v17', ' (WBM 20D29 to 20D32)', ' and later', ' except BAX'),
        (v, m, tail) => {
          expect(readModelAndVersion(`${v} model ${m}${tail}`)).toBeNull();
        },
      ),
    );
  });
});
