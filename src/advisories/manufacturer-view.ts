import { Principal } from '../auth/role';
import { UnmappedProduct } from './csaf-product-mapper';

/**
 * What a manufacturer may learn through the advisory routes. It speaks for its own products
 * and sees its own advisories, but nothing of the hospital's inventory: no count of exposed or
 * undecidable devices (posting and withdrawing probe advisories would count the fleet per
 * firmware range), and no vendor the hospital's catalog knows or lacks.
 */
export function seesInventory(actor: Principal): boolean {
  return actor.role !== 'manufacturer';
}

/**
 * A manufacturer sees only the unmapped products under its own vendor (a product or version it
 * can fix with a model or an alias request). "vendor_mismatch" and "vendor_unknown" would say
 * which other vendors the hospital has and which it has not.
 */
export function visibleUnmapped<T extends Pick<UnmappedProduct, 'reason'>>(actor: Principal, products: T[]): T[] {
  if (seesInventory(actor)) return products;
  return products.filter((p) => p.reason !== 'vendor_mismatch' && p.reason !== 'vendor_unknown');
}
