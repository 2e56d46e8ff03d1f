import { Principal } from '../auth/role';
import { seesInventory, visibleUnmapped } from './manufacturer-view';

const as = (role: Principal['role']): Principal => ({ kind: 'api-key', id: 'k', name: 'k', role, ...(role === 'manufacturer' && { manufacturerId: 'm' }) });
const products = (['vendor_unknown', 'vendor_mismatch', 'product_unknown', 'version_unreadable'] as const).map((reason) => ({ reason }));

describe('what a manufacturer sees of the advisory routes', () => {
  it('shows device counts to the hospital staff only', () => {
    expect(['admin', 'biomed', 'it'].map((r) => seesInventory(as(r as Principal['role'])))).toEqual([true, true, true]);
    expect(seesInventory(as('manufacturer'))).toBe(false);
  });

  it('keeps from a manufacturer the unmapped products that say which vendors the hospital has', () => {
    expect(visibleUnmapped(as('manufacturer'), products).map((p) => p.reason)).toEqual(['product_unknown', 'version_unreadable']);
    expect(visibleUnmapped(as('it'), products)).toEqual(products);
  });
});
