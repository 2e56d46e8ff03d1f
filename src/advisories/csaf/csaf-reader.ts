import type {
  CsafAdvisory,
  CsafBranch,
  CsafDocument,
  CsafDocumentMeta,
  CsafFullProductName,
  CsafProduct,
  CsafProductStatus,
  CsafSeverity,
  CsafVexReason,
  CsafVulnerability,
} from './csaf.types';
import { cvssRating } from '../severity';
import { fixedVersionCandidates, singleFixedVersion } from './fixed-version';

/**
 * Reads a (schema-valid) CSAF 2.0 document into the flat shape the importer needs. Pure: no I/O,
 * never throws - odd parts are skipped, missing strings become ''. Version expressions are passed
 * through raw; the caller parses them.
 *
 * Products come from, in this order: product_tree.branches (recursively; a leaf is a branch with a
 * `product`), product_tree.full_product_names, product_tree.relationships[].full_product_name
 * (vendor / productName / version taken from the product_reference, i.e. the component that the
 * relationship places somewhere). Product ids already seen are not added twice.
 * Entries identical in vendor, productName, version (expression and kind) and model numbers are
 * merged into one CsafProduct carrying every id in `productIds` (icsma-20-343-01 lists
 * "1.5T Signa Hdx: HD 16 | HD23" as CSAFPID-0005 and CSAFPID-0006).
 */
/**
 * The publisher namespace as the advisory's identity compares it: trimmed, without trailing
 * slashes, lower-case ("https://www.cisa.gov/" and "https://www.CISA.gov" are one publisher).
 * Migration 1764300012000 applies the same rule in SQL to documents stored before it.
 */
export function publisherKey(namespace: string): string {
  return namespace.trim().replace(/\/+$/, '').toLowerCase();
}

export function readCsaf(doc: CsafDocument): CsafAdvisory {
  const root: CsafDocument = isObject(doc) ? doc : {};
  const meta: CsafDocumentMeta = isObject(root.document) ? root.document : {};
  const tracking: NonNullable<CsafDocumentMeta['tracking']> = isObject(meta.tracking) ? meta.tracking : {};
  const vulnerabilities = arrayOf(root.vulnerabilities).filter(isObject) as CsafVulnerability[];

  const leaves = collectProducts(root);
  const groups = productGroups(root);
  const usage = productUsage(vulnerabilities, groups);

  const products = mergeDuplicates(leaves.map((leaf) => ({ product: toProduct(leaf, usage), context: leaf.context })));
  applyFixedStatusVersions(products);

  const advisory: CsafAdvisory = {
    trackingId: str(tracking.id),
    revision: str(tracking.version),
    title: str(meta.title),
    publisher: str(isObject(meta.publisher) ? meta.publisher.name : undefined),
    publisherNamespace: publisherKey(str(isObject(meta.publisher) ? meta.publisher.namespace : undefined)),
    cves: unique(vulnerabilities.map((v) => v.cve).filter(isNonEmptyString)),
    remediationText: remediationText(vulnerabilities),
    products,
  };
  if (isNonEmptyString(tracking.initial_release_date)) advisory.initialReleaseDate = tracking.initial_release_date;
  if (isNonEmptyString(tracking.current_release_date)) advisory.currentReleaseDate = tracking.current_release_date;
  const score = highestScore(vulnerabilities);
  if (score) {
    advisory.cvssScore = score.score;
    if (score.vector) advisory.cvssVector = score.vector;
    advisory.severity = score.severity;
  }
  return advisory;
}

// ---------------------------------------------------------------------------------------------
// Product tree
// ---------------------------------------------------------------------------------------------

/** What the product tree says of one product; status, CVEs and fixes come from the vulnerabilities. */
type Leaf = Pick<CsafProduct, 'productId' | 'vendor' | 'productName' | 'versionExpression' | 'versionKind' | 'fullName' | 'modelNumbers'> & {
  /** '' for product tree leaves; for relationship products, what they relate to (never merged with the plain product). */
  context: string;
};

/** Branch path state while walking down the tree. */
interface Path {
  vendor?: string;
  family?: string;
  productName?: string;
  version?: { expression: string; kind: Exclude<CsafProduct['versionKind'], 'none'> };
}

const MAX_DEPTH = 64;

function collectProducts(root: CsafDocument): Leaf[] {
  const tree = isObject(root.product_tree) ? root.product_tree : {};
  const leaves: Leaf[] = [];
  const byId = new Map<string, Leaf>();
  const add = (leaf: Leaf | null): void => {
    if (!leaf || byId.has(leaf.productId)) return;
    byId.set(leaf.productId, leaf);
    leaves.push(leaf);
  };

  const walk = (branches: unknown, path: Path, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const branch of arrayOf(branches)) {
      if (!isObject(branch)) continue;
      const b = branch as CsafBranch;
      const next = descend(path, b);
      if (isObject(b.product)) add(leafFrom(b.product, next));
      if (Array.isArray(b.branches)) walk(b.branches, next, depth + 1);
    }
  };
  walk(tree.branches, {}, 0);

  for (const fpn of arrayOf(tree.full_product_names)) {
    if (isObject(fpn)) add(leafFrom(fpn as CsafFullProductName, {}));
  }

  for (const rel of arrayOf(tree.relationships)) {
    if (!isObject(rel) || !isObject(rel.full_product_name)) continue;
    const ref = typeof rel.product_reference === 'string' ? byId.get(rel.product_reference) : undefined;
    const path: Path = ref
      ? {
          vendor: ref.vendor || undefined,
          productName: ref.productName || undefined,
          version: ref.versionKind === 'none' || ref.versionExpression === null ? undefined : { expression: ref.versionExpression, kind: ref.versionKind },
        }
      : {};
    const leaf = leafFrom(rel.full_product_name as CsafFullProductName, path, ref?.modelNumbers);
    if (leaf) leaf.context = JSON.stringify([str(rel.category), str(rel.product_reference), str(rel.relates_to_product_reference)]);
    add(leaf);
  }
  return leaves;
}

/** The path below `branch`; categories this reader does not use (architecture, language, ...) change nothing. */
function descend(path: Path, branch: CsafBranch): Path {
  const name = typeof branch.name === 'string' ? branch.name : '';
  switch (branch.category) {
    case 'vendor':
      return { ...path, vendor: name };
    case 'product_family':
      return { ...path, family: name };
    case 'product_name':
      return { ...path, productName: name };
    case 'product_version':
      // A vers: string is a range by definition (CSAF 2.0 puts it in product_version_range), yet real
      // files carry "vers:all/*" as product_version; calling it 'exact' would match no firmware.
      return { ...path, version: { expression: name, kind: name.trim().startsWith('vers:') ? 'range' : 'exact' } };
    case 'product_version_range':
      return { ...path, version: { expression: name, kind: 'range' } };
    default:
      return path;
  }
}

function leafFrom(fpn: CsafFullProductName, path: Path, inheritedModels: string[] = []): Leaf | null {
  if (!isNonEmptyString(fpn.product_id)) return null;
  const fullName = str(fpn.name);
  const helper = isObject(fpn.product_identification_helper) ? fpn.product_identification_helper : {};
  const own = unique([...arrayOf(helper.model_numbers), ...arrayOf(helper.skus)].filter(isNonEmptyString));
  return {
    productId: fpn.product_id,
    vendor: path.vendor ?? '',
    productName: path.productName ?? path.family ?? fullName,
    versionExpression: path.version ? path.version.expression : null,
    versionKind: path.version ? path.version.kind : 'none',
    fullName,
    modelNumbers: own.length > 0 ? own : [...inheritedModels],
    context: '',
  };
}

function productGroups(root: CsafDocument): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const tree = isObject(root.product_tree) ? root.product_tree : {};
  for (const g of arrayOf(tree.product_groups)) {
    if (isObject(g) && isNonEmptyString(g.group_id)) groups.set(g.group_id, arrayOf(g.product_ids).filter(isNonEmptyString));
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------
// Status, CVEs and fixed versions per product id
// ---------------------------------------------------------------------------------------------

const AFFECTED = ['known_affected', 'first_affected', 'last_affected'] as const;
const FIXED = ['fixed', 'first_fixed'] as const;

interface Usage {
  status: Map<string, Set<CsafProductStatus>>;
  cves: Map<string, string[]>;
  fixCandidates: Map<string, string[]>;
  vexReasons: Map<string, CsafVexReason[]>;
}

function productUsage(vulnerabilities: CsafVulnerability[], groups: Map<string, string[]>): Usage {
  const usage: Usage = { status: new Map(), cves: new Map(), fixCandidates: new Map(), vexReasons: new Map() };
  const push = <T>(map: Map<string, T[]>, id: string, value: T): void => {
    const list = map.get(id) ?? [];
    if (!list.includes(value)) list.push(value);
    map.set(id, list);
  };
  const mark = (id: string, status: CsafProductStatus): void => {
    const set = usage.status.get(id) ?? new Set<CsafProductStatus>();
    set.add(status);
    usage.status.set(id, set);
  };

  for (const v of vulnerabilities) {
    const ps = isObject(v.product_status) ? v.product_status : {};
    const cve = isNonEmptyString(v.cve) ? v.cve : null;
    const ids = (keys: readonly string[]): string[] => keys.flatMap((k) => arrayOf((ps as Record<string, unknown>)[k]).filter(isNonEmptyString));
    for (const id of ids(AFFECTED)) {
      mark(id, 'known_affected');
      if (cve) push(usage.cves, id, cve);
    }
    for (const id of ids(FIXED)) {
      mark(id, 'fixed');
      if (cve) push(usage.cves, id, cve);
    }
    for (const id of ids(['known_not_affected'])) mark(id, 'known_not_affected');
    for (const id of ids(['under_investigation'])) mark(id, 'under_investigation');
    collectVexReasons(v, cve, groups, usage.vexReasons);

    for (const r of arrayOf(v.remediations)) {
      if (!isObject(r) || r.category !== 'vendor_fix' || !isNonEmptyString(r.details)) continue;
      const candidates = fixedVersionCandidates(r.details);
      const targets = [
        ...arrayOf(r.product_ids).filter(isNonEmptyString),
        ...arrayOf(r.group_ids)
          .filter(isNonEmptyString)
          .flatMap((g) => groups.get(g) ?? []),
      ];
      for (const id of targets) {
        if (!usage.fixCandidates.has(id)) usage.fixCandidates.set(id, []);
        for (const c of candidates) push(usage.fixCandidates, id, c);
      }
    }
  }
  return usage;
}

/**
 * The flags and impact statements a vulnerability gives products (directly or through groups).
 * Kept for every product; only known_not_affected and under_investigation products show them.
 */
function collectVexReasons(v: CsafVulnerability, cve: string | null, groups: Map<string, string[]>, into: Map<string, CsafVexReason[]>): void {
  const targets = (x: Record<string, unknown>): string[] => [
    ...new Set([
      ...arrayOf(x.product_ids).filter(isNonEmptyString),
      ...arrayOf(x.group_ids)
        .filter(isNonEmptyString)
        .flatMap((g) => groups.get(g) ?? []),
    ]),
  ];
  const reasonFor = (id: string): CsafVexReason => {
    const list = into.get(id) ?? [];
    let reason = list.find((r) => r.cve === cve);
    if (!reason) list.push((reason = { cve, flags: [], impacts: [] }));
    into.set(id, list);
    return reason;
  };
  for (const f of arrayOf(v.flags)) {
    if (!isObject(f) || !isNonEmptyString(f.label)) continue;
    for (const id of targets(f)) {
      const r = reasonFor(id);
      if (!r.flags.includes(f.label)) r.flags.push(f.label);
    }
  }
  for (const t of arrayOf(v.threats)) {
    if (!isObject(t) || t.category !== 'impact' || typeof t.details !== 'string' || !t.details.trim()) continue;
    for (const id of targets(t)) {
      const r = reasonFor(id);
      const text = t.details.trim().slice(0, 1000);
      if (!r.impacts.includes(text)) r.impacts.push(text);
    }
  }
}

/**
 * Affected anywhere wins, then under investigation (for one vulnerability, the others may be
 * settled: the product's exposure to the advisory is not), then fixed, then not affected;
 * listed nowhere -> 'other'.
 */
const STATUS_ORDER = ['known_affected', 'under_investigation', 'fixed', 'known_not_affected'] as const;

function productStatus(statuses: Set<CsafProductStatus> | undefined): CsafProductStatus {
  if (!statuses) return 'other';
  for (const s of STATUS_ORDER) if (statuses.has(s)) return s;
  return 'other';
}

function toProduct(leaf: Leaf, usage: Usage): CsafProduct {
  const status = productStatus(usage.status.get(leaf.productId));
  const fromText = singleFixedVersion(usage.fixCandidates.get(leaf.productId) ?? []);
  return {
    productId: leaf.productId,
    productIds: [leaf.productId],
    vendor: leaf.vendor,
    productName: leaf.productName,
    versionExpression: leaf.versionExpression,
    versionKind: leaf.versionKind,
    fullName: leaf.fullName,
    modelNumbers: leaf.modelNumbers,
    status,
    cves: usage.cves.get(leaf.productId) ?? [],
    fixedVersion: fromText,
    fixedVersionSource: fromText === null ? null : 'remediation_text',
    vexReasons: status === 'known_not_affected' || status === 'under_investigation' ? (usage.vexReasons.get(leaf.productId) ?? []) : [],
  };
}

/**
 * Structured data beats prose: a product with status 'fixed' and an exact version is itself a fixed
 * version. Its own fixedVersion is that version, and an affected product with the same vendor and
 * product name gets it too when it is the only such fixed version (several -> left as it was).
 */
function applyFixedStatusVersions(products: CsafProduct[]): void {
  const fixedBySeries = new Map<string, Set<string>>();
  for (const p of products) {
    if (p.status !== 'fixed' || p.versionKind !== 'exact' || !p.versionExpression) continue;
    p.fixedVersion = p.versionExpression;
    p.fixedVersionSource = 'fixed_status';
    const key = seriesKey(p);
    fixedBySeries.set(key, (fixedBySeries.get(key) ?? new Set()).add(p.versionExpression));
  }
  for (const p of products) {
    if (p.status !== 'known_affected') continue;
    const versions = fixedBySeries.get(seriesKey(p));
    if (versions?.size === 1) {
      p.fixedVersion = [...versions][0];
      p.fixedVersionSource = 'fixed_status';
    }
  }
}

function seriesKey(p: CsafProduct): string {
  return JSON.stringify([p.vendor, p.productName]);
}

/** Merge entries that differ only in product id (same vendor, product name, version, models, relationship). */
function mergeDuplicates(entries: { product: CsafProduct; context: string }[]): CsafProduct[] {
  const out: CsafProduct[] = [];
  const byKey = new Map<string, CsafProduct>();
  const rank: Record<CsafProductStatus, number> = { known_affected: 4, under_investigation: 3, fixed: 2, known_not_affected: 1, other: 0 };
  for (const { product: p, context } of entries) {
    const key = JSON.stringify([p.vendor, p.productName, p.versionExpression, p.versionKind, p.modelNumbers, context]);
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, p);
      out.push(p);
      continue;
    }
    first.productIds.push(p.productId);
    if (rank[p.status] > rank[first.status]) first.status = p.status;
    first.vexReasons = [...first.vexReasons, ...p.vexReasons.filter((r) => !first.vexReasons.some((x) => JSON.stringify(x) === JSON.stringify(r)))];
    first.cves = unique([...first.cves, ...p.cves]);
    if (first.fixedVersion !== p.fixedVersion) {
      // Disagreeing (or half-known) fixed versions are not "clear".
      first.fixedVersion = null;
      first.fixedVersionSource = null;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Scores and remediation text
// ---------------------------------------------------------------------------------------------

function highestScore(vulnerabilities: CsafVulnerability[]): { score: number; vector?: string; severity: CsafSeverity } | null {
  let v3: { score: number; vector?: string; severity: CsafSeverity } | null = null;
  let v2: { score: number; vector?: string } | null = null;
  for (const v of vulnerabilities) {
    for (const s of arrayOf(v.scores)) {
      if (!isObject(s)) continue;
      const c3 = isObject(s.cvss_v3) ? s.cvss_v3 : null;
      if (c3 && isScore(c3.baseScore) && (!v3 || c3.baseScore > v3.score)) {
        v3 = { score: c3.baseScore, vector: optStr(c3.vectorString), severity: severityOf(c3.baseSeverity) ?? cvssRating(c3.baseScore) };
      }
      const c2 = isObject(s.cvss_v2) ? s.cvss_v2 : null;
      if (c2 && isScore(c2.baseScore) && (!v2 || c2.baseScore > v2.score)) {
        v2 = { score: c2.baseScore, vector: optStr(c2.vectorString) };
      }
    }
  }
  if (v3) return v3;
  // CVSS v2 has no qualitative rating in the vector; use the NVD v2 bands (it has no 'critical').
  if (v2) return { ...v2, severity: v2.score >= 7 ? 'high' : v2.score >= 4 ? 'medium' : 'low' };
  return null;
}

function severityOf(s: unknown): CsafSeverity | undefined {
  if (typeof s !== 'string') return undefined;
  const lower = s.toLowerCase();
  return (['none', 'low', 'medium', 'high', 'critical'] as const).find((x) => x === lower);
}

function remediationText(vulnerabilities: CsafVulnerability[]): string {
  const parts: string[] = [];
  for (const v of vulnerabilities) {
    for (const r of arrayOf(v.remediations)) {
      if (!isObject(r) || (r.category !== 'vendor_fix' && r.category !== 'mitigation')) continue;
      const details = typeof r.details === 'string' ? r.details.trim() : '';
      if (details && !parts.includes(details)) parts.push(details);
    }
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Defensive helpers
// ---------------------------------------------------------------------------------------------

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function arrayOf(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

function isNonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0;
}

function isScore(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 10;
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

function optStr(x: unknown): string | undefined {
  return typeof x === 'string' && x.length > 0 ? x : undefined;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
