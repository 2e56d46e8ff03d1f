import { CsafAdvisory, CsafProduct } from './csaf';
import { productsNotOf } from './csaf-product-mapper';

const product = (vendor: string, productId: string): CsafProduct =>
  ({ productId, productIds: [productId], vendor, productName: 'Pump', versionExpression: '<2', versionKind: 'range', fullName: 'Pump <2', modelNumbers: [], status: 'known_affected', cves: [], fixedVersion: null, fixedVersionSource: null }) as CsafProduct;
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
