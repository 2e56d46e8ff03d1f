import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CsafAdvisory, CsafProduct, normalizeName, readCsaf } from './csaf';
import { mapCsafProducts, productsNotOf } from './csaf-product-mapper';

const product = (vendor: string, productId: string): CsafProduct =>
  ({
    productId,
    productIds: [productId],
    vendor,
    productName: 'Pump',
    versionExpression: '<2',
    versionKind: 'range',
    fullName: 'Pump <2',
    modelNumbers: [],
    status: 'known_affected',
    cves: [],
    fixedVersion: null,
    fixedVersionSource: null,
    vexReasons: [],
  }) as CsafProduct;
const advisory = (...products: CsafProduct[]) => ({ products }) as CsafAdvisory;
const own = { id: 'm1', name: 'Vendor One', aliases: ['V1 Medical GmbH'] };

describe('productsNotOf', () => {
  it("accepts products under the manufacturer's name or alias, in any spelling", () => {
    expect(productsNotOf(advisory(product('VENDOR-ONE.', 'a'), product('v1 medical gmbh', 'b')), own)).toEqual([]);
  });

  it('returns products under another vendor, an unknown one, or none, alike', () => {
    const foreign = [product('Vendor Two', 'a'), product('Nobody Inc.', 'b'), product('', 'c')];
    expect(productsNotOf(advisory(product('Vendor One', 'x'), ...foreign), own)).toEqual(foreign);
  });

  it('counts products of every status, not only the affected ones', () => {
    const fixed = { ...product('Vendor Two', 'f'), status: 'fixed' } as CsafProduct;
    expect(productsNotOf(advisory(fixed), own)).toEqual([fixed]);
  });
});

describe('mapCsafProducts: ICSMA-22-251-01 (Baxter), version and model in one string', () => {
  const baxterDoc = () => readCsaf(JSON.parse(readFileSync(resolve(__dirname, '../../test/fixtures/csaf/icsma-22-251-01.json'), 'utf8')));
  const baxter = { id: 'bax', name: 'Baxter', aliases: [] };
  const model = (id: string, name: string, modelNumber: string, aliases: string[] = []) => ({ id, manufacturerId: 'bax', name, modelNumber, aliases });

  it('maps "8.x model 35700BAX2" to the model numbered 35700BAX2 with the range 8.x', () => {
    const mapping = mapCsafProducts(baxterDoc(), [baxter], [model('bax2', 'Sigma Spectrum', '35700BAX2'), model('bax3', 'Spectrum IQ', '35700BAX3')]);
    expect(mapping.affected).toEqual(
      expect.arrayContaining([
        { modelId: 'bax2', versions: '8.x', fixedVersion: null, productRef: 'CSAFPID-0003' },
        { modelId: 'bax3', versions: '9.x', fixedVersion: null, productRef: 'CSAFPID-0001' },
      ]),
    );
  });

  it('prefers the model number over the product name when two models share the name', () => {
    const mapping = mapCsafProducts(baxterDoc(), [baxter], [model('bax2', 'Sigma Spectrum', '35700BAX2'), model('bax', 'Sigma Spectrum', '35700BAX')]);
    const sigma = mapping.affected.filter((a) => a.productRef === 'CSAFPID-0003' || a.productRef === 'CSAFPID-0004');
    expect(sigma).toEqual([
      { modelId: 'bax2', versions: '8.x', fixedVersion: null, productRef: 'CSAFPID-0003' },
      { modelId: 'bax', versions: '6.x', fixedVersion: null, productRef: 'CSAFPID-0004' },
    ]);
  });

  it('keeps component-versioned products for a person, saying what it could not read once', () => {
    const mapping = mapCsafProducts(baxterDoc(), [baxter], [model('lvp', 'Sigma Spectrum LVP', '35700LVP')]);
    const lvp = mapping.unmapped.filter((u) => u.productName === 'Sigma Spectrum LVP');
    expect(lvp.map((u) => u.reason)).toEqual(['version_unreadable', 'version_unreadable']);
    for (const u of lvp) expect(u.detail.split(u.versionExpression!).length - 1).toBeLessThanOrEqual(1);
  });

  it('names the model numbers it looked for when none is in the catalog', () => {
    const mapping = mapCsafProducts(baxterDoc(), [baxter], []);
    expect(mapping.unmapped.find((u) => u.productRef === 'CSAFPID-0003')).toMatchObject({
      reason: 'product_unknown',
      detail: expect.stringContaining('"35700BAX2"'),
    });
  });
});

describe('mapCsafProducts: products a person mapped', () => {
  const doc = (vendor: string, productName: string) =>
    ({ products: [{ ...product(vendor, 'p1'), productName, fullName: `${productName}: <2` }] }) as unknown as CsafAdvisory;
  const acme = { id: 'acme', name: 'Acme Medical', aliases: [] };
  const other = { id: 'other', name: 'Other Corp', aliases: [] };
  const models = [
    { id: 'm1', manufacturerId: 'acme', name: 'Infusion Pump 9', modelNumber: 'IP9', aliases: [] },
    { id: 'o1', manufacturerId: 'other', name: 'Other Pump', modelNumber: 'OP1', aliases: [] },
  ];
  const remembered = (vendor: string, productName: string, modelId: string, manufacturerId: string) => ({
    vendorKey: normalizeName(vendor),
    productKey: normalizeName(productName),
    modelId,
    manufacturerId,
  });

  it('maps a product the catalog does not name, in any spelling of vendor and name', () => {
    const mapping = mapCsafProducts(doc('ACME medical', 'ip-9 (wireless)'), [acme], models, undefined, [
      remembered('Acme Medical', 'IP9 Wireless', 'm1', 'acme'),
    ]);
    expect(mapping.affected).toEqual([{ modelId: 'm1', versions: '<2', fixedVersion: null, productRef: 'p1' }]);
    expect(mapping.unmapped).toEqual([]);
  });

  it("knows an unknown vendor through the mapping, and the advisory becomes the model's manufacturer's", () => {
    const mapping = mapCsafProducts(doc('Acme Med. GmbH', 'IP9 Wireless'), [acme], models, undefined, [
      remembered('Acme Med GmbH', 'IP9 Wireless', 'm1', 'acme'),
    ]);
    expect(mapping.ownerId).toBe('acme');
    expect(mapping.affected.map((a) => a.modelId)).toEqual(['m1']);
  });

  it("never maps a known vendor's product to another manufacturer's model", () => {
    const mapping = mapCsafProducts(doc('Acme Medical', 'IP9 Wireless'), [acme, other], models, undefined, [
      remembered('Acme Medical', 'IP9 Wireless', 'o1', 'other'),
    ]);
    expect(mapping.affected).toEqual([]);
    expect(mapping.unmapped.map((u) => u.reason)).toEqual(['product_unknown']);
  });

  it('wins over a product name match, not over a model number', () => {
    const catalog = [...models, { id: 'm2', manufacturerId: 'acme', name: 'X', modelNumber: 'X1', aliases: [] }];
    const byName = mapCsafProducts(doc('Acme Medical', 'Infusion Pump 9'), [acme], catalog, undefined, [
      remembered('Acme Medical', 'Infusion Pump 9', 'm2', 'acme'),
    ]);
    expect(byName.affected.map((a) => a.modelId)).toEqual(['m2']);
    const numbered = { products: [{ ...product('Acme Medical', 'p1'), productName: 'Infusion Pump 9', modelNumbers: ['IP9'] }] } as unknown as CsafAdvisory;
    const byNumber = mapCsafProducts(numbered, [acme], catalog, undefined, [remembered('Acme Medical', 'Infusion Pump 9', 'm2', 'acme')]);
    expect(byNumber.affected.map((a) => a.modelId)).toEqual(['m1']);
  });
});
