import { findNameCollision } from './manufacturer-names';

describe('findNameCollision', () => {
  const vendorTwo = { id: 'b', name: 'Vendor Two', aliases: ['V2 Medical GmbH'] };

  it('finds a name equal to another manufacturer name after normalisation', () => {
    expect(findNameCollision({ id: 'a', name: 'VENDOR-two.', aliases: [] }, [vendorTwo])).toEqual({ field: 'name', value: 'VENDOR-two.', other: vendorTwo });
  });

  it("finds an alias equal to another manufacturer's alias", () => {
    expect(findNameCollision({ name: 'New', aliases: ['x', 'v2 medical gmbh'] }, [vendorTwo])).toMatchObject({ field: 'aliases', value: 'v2 medical gmbh' });
  });

  it('ignores the manufacturer itself and names that differ', () => {
    expect(findNameCollision({ id: 'b', name: 'Vendor Two', aliases: ['Vendor-Two'] }, [vendorTwo])).toBeNull();
    expect(findNameCollision({ id: 'a', name: 'Vendor Three', aliases: ['Vendor Twos'] }, [vendorTwo])).toBeNull();
  });

  it('never matches on a name that normalises to nothing', () => {
    expect(findNameCollision({ id: 'a', name: '---', aliases: [] }, [{ id: 'c', name: '...', aliases: [] }])).toBeNull();
  });
});
