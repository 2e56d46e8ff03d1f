export interface CsafProductSpec {
  vendor: string;
  product: string;
  /** A CSAF product_version_range such as "<2.0". */
  versions: string;
  fixedVersion?: string;
}

export interface CsafSpec {
  trackingId: string;
  /** tracking.version: an integer revision. */
  version: number;
  publisherNamespace?: string;
  publisherName?: string;
  title?: string;
  products: CsafProductSpec[];
}

const DAY_MS = 86_400_000;

/**
 * The smallest CSAF 2.0 security advisory that passes the schema and the mandatory tests: one
 * vulnerability that every product is known_affected by, each product under its vendor branch.
 * Built here rather than copied so a test can say exactly whose products a document names.
 */
export function buildCsaf(spec: CsafSpec): Record<string, unknown> {
  const date = (revision: number) => new Date(Date.UTC(2024, 0, 1) + revision * DAY_MS).toISOString();
  const vendors = [...new Set(spec.products.map((p) => p.vendor))];
  const ids = spec.products.map((_, i) => `CSAFPID-${String(i + 1).padStart(4, '0')}`);
  const fixes = spec.products.map((p, i) => ({ p, id: ids[i] })).filter(({ p }) => p.fixedVersion);
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en-US',
      title: spec.title ?? `Advisory ${spec.trackingId} revision ${spec.version}`,
      publisher: { category: 'coordinator', name: spec.publisherName ?? 'CISA', namespace: spec.publisherNamespace ?? 'https://www.cisa.gov/' },
      notes: [{ category: 'summary', title: 'Risk evaluation', text: 'Successful exploitation could change therapy settings.' }],
      tracking: {
        id: spec.trackingId,
        status: 'final',
        version: String(spec.version),
        initial_release_date: date(1),
        current_release_date: date(spec.version),
        // The mandatory tests want every revision from 1 up to the current one.
        revision_history: Array.from({ length: spec.version }, (_, i) => ({ number: String(i + 1), date: date(i + 1), summary: `Revision ${i + 1}` })),
      },
    },
    product_tree: {
      branches: vendors.map((vendor) => ({
        category: 'vendor',
        name: vendor,
        branches: spec.products
          .map((p, i) => ({ p, id: ids[i] }))
          .filter(({ p }) => p.vendor === vendor)
          .map(({ p, id }) => ({
            category: 'product_name',
            name: p.product,
            branches: [{ category: 'product_version_range', name: p.versions, product: { name: `${p.product} ${p.versions}`, product_id: id } }],
          })),
      })),
    },
    vulnerabilities: [
      {
        cve: 'CVE-2024-0001',
        notes: [{ category: 'summary', title: 'Vulnerability Summary', text: 'A hard-coded credential.' }],
        product_status: { known_affected: ids },
        ...(fixes.length && {
          remediations: fixes.map(({ p, id }) => ({ category: 'vendor_fix', details: `Update to version ${p.fixedVersion} or later.`, product_ids: [id] })),
        }),
      },
    ],
  };
}
