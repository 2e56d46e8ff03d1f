import { parseRange, rangeFromProductPhrase } from '../firmware';
import { CsafAdvisory, CsafProduct, normalizeName } from './csaf';

export interface CatalogManufacturer {
  id: string;
  name: string;
  aliases: string[];
}

export interface CatalogModel {
  id: string;
  manufacturerId: string;
  name: string;
  modelNumber: string;
  aliases: string[];
}

export interface MappedProduct {
  modelId: string;
  versions: string;
  fixedVersion: string | null;
  productRef: string;
}

export type UnmappedReason = 'vendor_unknown' | 'vendor_mismatch' | 'product_unknown' | 'version_unreadable';

export interface UnmappedProduct {
  productRef: string;
  vendor: string;
  productName: string;
  versionExpression: string | null;
  fixedVersion: string | null;
  reason: UnmappedReason;
  detail: string;
}

export interface ProductMapping {
  /** The manufacturer the advisory belongs to; null when no vendor matches any. */
  ownerId: string | null;
  affected: MappedProduct[];
  unmapped: UnmappedProduct[];
}

/**
 * Maps a CSAF document's affected products onto our catalog by the contract's rule: a vendor
 * is the manufacturer whose name or alias equals it, a product the model of that manufacturer
 * whose name, model number or alias equals its product_name (or a model_numbers entry), equal
 * ignoring case, spacing and punctuation. Whatever does not map, or whose versions cannot be
 * read, is returned for a person to resolve: nothing is guessed and nothing is dropped.
 */
export function mapCsafProducts(advisory: CsafAdvisory, manufacturers: CatalogManufacturer[], models: CatalogModel[], requiredOwnerId?: string): ProductMapping {
  const vendorIndex = new Map<string, string>();
  for (const m of manufacturers) for (const n of [m.name, ...m.aliases]) vendorIndex.set(normalizeName(n), m.id);

  const affectedProducts = advisory.products.filter((p) => p.status === 'known_affected');
  const ownerId = requiredOwnerId ?? mostCommonOwner(affectedProducts, vendorIndex);
  const modelIndex = new Map<string, string>();
  for (const m of models.filter((x) => x.manufacturerId === ownerId)) {
    for (const n of [m.name, m.modelNumber, ...m.aliases]) modelIndex.set(normalizeName(n), m.id);
  }

  const result: ProductMapping = { ownerId, affected: [], unmapped: [] };
  for (const p of affectedProducts) {
    const base = { productRef: p.productId, vendor: p.vendor, productName: p.productName, versionExpression: p.versionExpression, fixedVersion: p.fixedVersion };
    const vendorId = vendorIndex.get(normalizeName(p.vendor));
    if (!vendorId) {
      result.unmapped.push({ ...base, reason: 'vendor_unknown', detail: `no manufacturer is named or aliased "${p.vendor}"` });
      continue;
    }
    if (vendorId !== ownerId) {
      result.unmapped.push({ ...base, reason: 'vendor_mismatch', detail: `vendor "${p.vendor}" is another manufacturer than this advisory's` });
      continue;
    }
    const modelId = [p.productName, ...p.modelNumbers].map((n) => modelIndex.get(normalizeName(n))).find(Boolean);
    if (!modelId) {
      result.unmapped.push({ ...base, reason: 'product_unknown', detail: `no model of this manufacturer is named, numbered or aliased "${p.productName}"` });
      continue;
    }
    const versions = versionsOf(p);
    if (!versions.ok) {
      result.unmapped.push({ ...base, reason: 'version_unreadable', detail: versions.detail });
      continue;
    }
    result.affected.push({ modelId, versions: versions.expression, fixedVersion: p.fixedVersion, productRef: p.productId });
  }
  return result;
}

/**
 * Products of the document (any status) that do not sit under a vendor branch answering to
 * this manufacturer's name or aliases: under another manufacturer, an unknown vendor, or none.
 * A manufacturer may speak only for its own products, and telling "another manufacturer" from
 * "unknown" apart would tell it which vendors the hospital has, so all three count the same.
 */
export function productsNotOf(advisory: CsafAdvisory, manufacturer: CatalogManufacturer): CsafProduct[] {
  const own = new Set([manufacturer.name, ...manufacturer.aliases].map(normalizeName).filter(Boolean));
  return advisory.products.filter((p) => !own.has(normalizeName(p.vendor)));
}

function mostCommonOwner(products: CsafProduct[], vendorIndex: Map<string, string>): string | null {
  const counts = new Map<string, number>();
  for (const p of products) {
    const id = vendorIndex.get(normalizeName(p.vendor));
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

/**
 * The version range of a product. A product_version is one exact version and a
 * product_version_range a range (CSAF semantics); real advisories also put phrases in names
 * ("versions prior to 8.2.2"). A product_name leaf with no version branch is the product as a
 * whole: all versions.
 */
export function versionsOf(p: CsafProduct): { ok: true; expression: string } | { ok: false; detail: string } {
  if (p.versionKind === 'none') {
    return { ok: true, expression: rangeFromProductPhrase(p.fullName) ?? '*' };
  }
  const raw = p.versionExpression ?? '';
  const candidates = [raw, rangeFromProductPhrase(raw), rangeFromProductPhrase(p.fullName)].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (parseRange(candidate).ok) return { ok: true, expression: candidate };
  }
  const error = parseRange(raw);
  return { ok: false, detail: `cannot read version "${raw}"${error.ok ? '' : `: ${error.error}`}` };
}
