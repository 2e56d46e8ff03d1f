import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rangeFromProductPhrase } from './product-phrase';
import { parseRange, rangeContains } from './version-range';

// The real CISA medical advisories stored with the tests (test/fixtures/csaf).
const DIR = resolve(__dirname, '../../test/fixtures/csaf');

interface Branch {
  category?: string;
  name?: string;
  branches?: Branch[];
  /** full_product_name: "<product>: <version phrase>". */
  product?: { name?: string };
}

function collect(): { versions: string[]; productNames: string[] } {
  const versions = new Set<string>();
  const productNames = new Set<string>();
  const walk = (branches: Branch[] | undefined) => {
    for (const b of branches ?? []) {
      if ((b.category === 'product_version' || b.category === 'product_version_range') && b.name) versions.add(b.name);
      if (b.product?.name) productNames.add(b.product.name);
      walk(b.branches);
    }
  };
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    walk(JSON.parse(readFileSync(resolve(DIR, file), 'utf8')).product_tree?.branches);
  }
  return { versions: [...versions].sort(), productNames: [...productNames].sort() };
}

const { versions, productNames } = collect();

describe('the version strings of the CISA fixture advisories', () => {
  it('finds every distinct product_version / product_version_range name of the eight files', () => {
    expect(versions).toHaveLength(38);
  });

  it.each(versions)('parses %j or refuses it with an error, without throwing', (name) => {
    const r = parseRange(name);
    if (r.ok) {
      expect(r.range.canonical.length).toBeGreaterThan(0);
      expect(['in', 'out', 'unknown']).toContain(rangeContains(r.range, '1.0'));
    } else {
      expect(r.error).toContain(JSON.stringify(name.replace(/\s+/g, ' ').trim()));
    }
  });

  it('refuses exactly the Baxter prose, which no rule can read without guessing', () => {
    expect(versions.filter((n) => !parseRange(n).ok)).toEqual([
      '6.x (Wireless Battery Modules (16 | 16D38 | 17 | 17D19 | >= 20D29 | <= v20D32 | >= 22D24 | <= v22D28)',
      '6.x model 35700BAX',
      '8.x (Wireless Battery Modules v17 | v17D19 >= 20D29 | <= 20D32 | >= 22D24 | <= 22D28)',
      '8.x model 35700BAX2',
      '9.x (with Wireless Battery Modules >= 22D19 | <= v22D28)',
      '9.x model 35700BAX3',
    ]);
  });

  it.each([
    ['12.1.3', '=12.1.3'],
    ['3.0.1.0', '=3.0.1.0'],
    ['< 1.7.15', '<1.7.15'],
    ['<=N', '<=N'],
    ['>= 2.0 | <= 3.0', '>=2.0 <=3.0'],
    ['>= 4.0 | <= 4.6', '>=4.0 <=4.6'],
    ['>=BT02 | <= BT06', '>=BT02 <=BT06'],
    ['BT02 | BT03 | BT04 | BT06', '=BT02 || =BT03 || =BT04 || =BT06'],
    ['BT05 | BT08', '=BT05 || =BT08'],
    ['HD 16 | HD23', '=HD 16 || =HD23'],
    ['SV20.1 | SV23.0', '=SV20.1 || =SV23.0'],
    ['C.03', '=C.03'],
    ['vers:all/*', '*'],
  ])('reads %j as %j', (name, canonical) => {
    const r = parseRange(name);
    expect(r.ok && r.range.canonical).toBe(canonical);
  });

  it.each([
    ['<=2.6.2', '2.6.1', 'in'],
    ['<=2.6.2', '2.7', 'out'],
    ['<=1.1.0.2', '1.1.0.1', 'in'],
    ['<=3.0.0.0', '3', 'in'],
    ['< 3.0', '2.9.9', 'in'],
    ['<=N', 'M', 'in'],
    ['<=N', '4.1', 'unknown'],
    ['>=BT02 | <= BT06', 'BT05', 'in'],
    ['BT03 | BT04 | BT06', 'BT05', 'out'],
    ['HD 16 | HD23', 'HD16', 'in'],
    ['vers:all/*', null, 'in'],
  ])('decides %j for firmware %j: %s', (name, firmware, expected) => {
    const r = parseRange(name);
    expect(r.ok && rangeContains(r.range, firmware)).toBe(expected);
  });
});

describe('the full product names of the CISA fixture advisories', () => {
  it.each([
    ['AnyDana-A: All versions prior to 3.0', '<3.0'],
    ['VC150: prior to Version 1.7.15', '<1.7.15'],
    ['Brilliance 64: Versions 2.6.2 and below', '<=2.6.2'],
    ['Brilliance iCT: SP Versions 3.2.4 and below', '<=3.2.4'],
    ['PerformA: Version 3.0.0.0 and previous versions', '<=3.0.0.0'],
    ['ReadA Overview: Version 1.1.0.2 and previous', '<=1.1.0.2'],
    ['Database (DB) Manager: Version 3.0.1.0', '=3.0.1.0'],
    ['Philips IntelliVue patient monitor MX400-MX850: <=N.0', '<=N.0'],
    ['CQI Reporter: <=10.17', '<=10.17'],
    ['Baxter Spectrum IQ: (v9.x) model 35700BAX3', null],
    ['Baxter Spectrum IQ LVP: (v9.x) with Wireless Battery Modules v22D19 to v22D28', null],
    ['Sigma Spectrum LVP: v8.x Wireless Battery Modules v17 v17D19 v20D29 to v20D32 and v22D24 to v22D28', null],
    ['Sigma Spectrum: v6.x model 35700BAX', null],
    ['AW: >= 4.0 | <= 4.6', null],
  ])('reads the product name %j as %j', (name, expected) => {
    expect(productNames).toContain(name);
    expect(rangeFromProductPhrase(name)).toBe(expected);
  });

  it('never throws and never returns an unreadable range for any product name', () => {
    for (const name of productNames) {
      const phrase = rangeFromProductPhrase(name);
      if (phrase !== null) expect(parseRange(phrase).ok).toBe(true);
    }
  });
});
