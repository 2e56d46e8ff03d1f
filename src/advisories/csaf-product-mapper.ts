import { parseRange, rangeFromProductPhrase } from '../firmware';
import { CsafAdvisory, CsafProduct, CsafVexReason, normalizeName, readModelAndVersion } from './csaf';

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

/**
 * A person's answer for a product the catalog rule does not map: this vendor's product of this
 * name is that model. Keys are normalizeName of the vendor and product name as advisories write them.
 */
export interface CatalogProductMapping {
  vendorKey: string;
  productKey: string;
  modelId: string;
  manufacturerId: string;
}

/** The key a product is remembered by: its vendor and product name, normalised as names are matched. */
export function productMappingKey(vendor: string, productName: string): string {
  return JSON.stringify([normalizeName(vendor), normalizeName(productName)]);
}

export interface MappedProduct {
  modelId: string;
  versions: string;
  fixedVersion: string | null;
  productRef: string;
}

export const UNMAPPED_REASONS = ['vendor_unknown', 'vendor_mismatch', 'product_unknown', 'version_unreadable'] as const;
export type UnmappedReason = (typeof UNMAPPED_REASONS)[number];

export interface UnmappedProduct {
  productRef: string;
  vendor: string;
  productName: string;
  versionExpression: string | null;
  fixedVersion: string | null;
  reason: UnmappedReason;
  detail: string;
}

/** A mapped product the document calls known_not_affected or under_investigation (VEX). */
export interface MappedStatement {
  modelId: string;
  versions: string;
  status: 'known_not_affected' | 'under_investigation';
  productRef: string;
  reasons: CsafVexReason[];
}

export interface ProductMapping {
  /** The manufacturer the advisory belongs to; null when no vendor matches any. */
  ownerId: string | null;
  affected: MappedProduct[];
  unmapped: UnmappedProduct[];
  /**
   * Products the document says are not affected or under investigation, mapped by the same rule
   * as affected ones and only onto the owner's models: another vendor's product never maps, so
   * a statement cannot speak for it. Those that do not map are dropped, not listed as unmapped
   * (nothing for a person to fix about a product that is not affected).
   */
  statements: MappedStatement[];
}

/**
 * Maps a CSAF document's affected products onto our catalog by the contract's rule: a vendor
 * is the manufacturer whose name or alias equals it, a product the model of that manufacturer
 * whose name, model number or alias equals its product_name (or a model_numbers entry, or the
 * model number its version string names: "8.x model 35700BAX2"), equal ignoring case, spacing
 * and punctuation. A person's mapping (productMappings) answers for a vendor and product name
 * the catalog does not. Whatever does not map, or whose versions cannot be read, is returned
 * for a person to resolve: nothing is guessed and nothing is dropped.
 */
export function mapCsafProducts(
  advisory: CsafAdvisory,
  manufacturers: CatalogManufacturer[],
  models: CatalogModel[],
  requiredOwnerId?: string,
  productMappings: CatalogProductMapping[] = [],
): ProductMapping {
  const vendorIndex = new Map<string, string>();
  for (const m of manufacturers) for (const n of [m.name, ...m.aliases]) vendorIndex.set(normalizeName(n), m.id);
  const remembered = new Map(productMappings.map((x) => [JSON.stringify([x.vendorKey, x.productKey]), x]));
  const rememberedFor = (p: CsafProduct) => remembered.get(productMappingKey(p.vendor, p.productName));
  // A vendor the catalog does not know is still known through a person's mapping of its product.
  const vendorOf = (p: CsafProduct): string | undefined => vendorIndex.get(normalizeName(p.vendor)) ?? rememberedFor(p)?.manufacturerId;

  const affectedProducts = advisory.products.filter((p) => p.status === 'known_affected');
  const vexProducts = advisory.products.filter((p) => p.status === 'known_not_affected' || p.status === 'under_investigation');
  // Affected products decide the owner; a document that names none (a pure VEX) is owned by its statements' vendor.
  const ownerId = requiredOwnerId ?? mostCommonOwner(affectedProducts.length ? affectedProducts : vexProducts, vendorOf);
  const modelIndex = new Map<string, string>();
  for (const m of models.filter((x) => x.manufacturerId === ownerId)) {
    for (const n of [m.name, m.modelNumber, ...m.aliases]) modelIndex.set(normalizeName(n), m.id);
  }

  const result: ProductMapping = { ownerId, affected: [], unmapped: [], statements: [] };
  const resolve = (p: CsafProduct) => resolveProduct(p, ownerId, vendorOf, rememberedFor, modelIndex);
  for (const p of vexProducts) {
    const r = resolve(p);
    if (!('modelId' in r)) continue;
    result.statements.push({
      modelId: r.modelId,
      versions: r.versions,
      status: p.status as MappedStatement['status'],
      productRef: p.productId,
      reasons: p.vexReasons,
    });
  }
  for (const p of affectedProducts) {
    const r = resolve(p);
    if ('modelId' in r) result.affected.push({ modelId: r.modelId, versions: r.versions, fixedVersion: p.fixedVersion, productRef: p.productId });
    else
      result.unmapped.push({
        productRef: p.productId,
        vendor: p.vendor,
        productName: p.productName,
        versionExpression: p.versionExpression,
        fixedVersion: p.fixedVersion,
        ...r,
      });
  }
  return result;
}

/** One product onto one of the owner's models with its version range, or why it does not map. */
function resolveProduct(
  p: CsafProduct,
  ownerId: string | null,
  vendorOf: (p: CsafProduct) => string | undefined,
  rememberedFor: (p: CsafProduct) => CatalogProductMapping | undefined,
  modelIndex: Map<string, string>,
): { modelId: string; versions: string } | { reason: UnmappedReason; detail: string } {
  const vendorId = vendorOf(p);
  if (!vendorId) return { reason: 'vendor_unknown', detail: `no manufacturer is named or aliased "${p.vendor}"` };
  if (vendorId !== ownerId) return { reason: 'vendor_mismatch', detail: `vendor "${p.vendor}" is another manufacturer than this advisory's` };
  const named = modelAndVersionOf(p);
  const numbers = [...(named?.modelNumbers ?? []), ...p.modelNumbers];
  // Most specific first: a model number names one model; a person's mapping names the model a
  // product name means; the product name alone may be shared ("Sigma Spectrum" 6.x and 8.x).
  const byNumber = numbers.map((n) => modelIndex.get(normalizeName(n))).find(Boolean);
  const byPerson = rememberedFor(p);
  const modelId = byNumber ?? (byPerson?.manufacturerId === vendorId ? byPerson.modelId : undefined) ?? modelIndex.get(normalizeName(p.productName));
  if (!modelId) {
    const asNumbered = numbers.length ? ` or numbered ${numbers.map((n) => `"${n}"`).join(', ')}` : '';
    return { reason: 'product_unknown', detail: `no model of this manufacturer is named, numbered or aliased "${p.productName}"${asNumbered}` };
  }
  // A version branch that reads as a range on its own says the versions; else the series named with the model.
  const branch = p.versionKind === 'none' ? null : versionsOf(p);
  const versions = branch?.ok || !named ? (branch ?? versionsOf(p)) : ({ ok: true, expression: named.versions } as const);
  if (!versions.ok) return { reason: 'version_unreadable', detail: versions.detail };
  return { modelId, versions: versions.expression };
}

/** "8.x model 35700BAX2" in the version branch, or after the colon of the full product name. */
function modelAndVersionOf(p: CsafProduct) {
  return (p.versionExpression !== null ? readModelAndVersion(p.versionExpression) : null) ?? readModelAndVersion(p.fullName);
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

function mostCommonOwner(products: CsafProduct[], vendorOf: (p: CsafProduct) => string | undefined): string | null {
  const counts = new Map<string, number>();
  for (const p of products) {
    const id = vendorOf(p);
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
  // parseRange's reason quotes the text itself: quoting it here too said it two or three times.
  const error = parseRange(raw);
  return { ok: false, detail: error.ok ? `cannot read version ${JSON.stringify(raw)}` : `version: ${error.error}` };
}
