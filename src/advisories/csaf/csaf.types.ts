/**
 * Minimal TypeScript view of the parts of a CSAF 2.0 document this module reads
 * (https://docs.oasis-open.org/csaf/csaf/v2.0/csaf-v2.0.html). Everything is optional on purpose:
 * the reader is called on schema-valid documents but must not trust that any given part is present,
 * so it checks every value at run time anyway. Unknown properties are allowed and ignored.
 */

export interface CsafDocument {
  document?: CsafDocumentMeta;
  product_tree?: CsafProductTree;
  vulnerabilities?: CsafVulnerability[];
}

export interface CsafDocumentMeta {
  category?: string;
  csaf_version?: string;
  title?: string;
  publisher?: { name?: string; namespace?: string; category?: string };
  tracking?: {
    id?: string;
    version?: string;
    status?: string;
    initial_release_date?: string;
    current_release_date?: string;
  };
}

export interface CsafProductTree {
  branches?: CsafBranch[];
  full_product_names?: CsafFullProductName[];
  relationships?: CsafRelationship[];
  product_groups?: { group_id?: string; product_ids?: string[] }[];
}

export interface CsafBranch {
  /** vendor, product_family, product_name, product_version, product_version_range, architecture, ... */
  category?: string;
  name?: string;
  branches?: CsafBranch[];
  product?: CsafFullProductName;
}

export interface CsafFullProductName {
  name?: string;
  product_id?: string;
  product_identification_helper?: {
    cpe?: string;
    purl?: string;
    model_numbers?: string[];
    skus?: string[];
    serial_numbers?: string[];
  };
}

export interface CsafRelationship {
  category?: string;
  product_reference?: string;
  relates_to_product_reference?: string;
  full_product_name?: CsafFullProductName;
}

export interface CsafVulnerability {
  cve?: string;
  product_status?: Partial<Record<CsafProductStatusCategory, string[]>>;
  scores?: CsafScore[];
  remediations?: CsafRemediation[];
  /** VEX justifications: label such as vulnerable_code_not_present, for products or groups. */
  flags?: Array<{ label?: string; product_ids?: string[]; group_ids?: string[] }>;
  /** category impact, exploit_status or target; details is free text. */
  threats?: Array<{ category?: string; details?: string; product_ids?: string[]; group_ids?: string[] }>;
}

export type CsafProductStatusCategory =
  'first_affected' | 'first_fixed' | 'fixed' | 'known_affected' | 'known_not_affected' | 'last_affected' | 'recommended' | 'under_investigation';

export interface CsafScore {
  products?: string[];
  cvss_v3?: { version?: string; vectorString?: string; baseScore?: number; baseSeverity?: string };
  cvss_v2?: { version?: string; vectorString?: string; baseScore?: number };
}

export interface CsafRemediation {
  /** mitigation, no_fix_planned, none_available, vendor_fix, workaround */
  category?: string;
  details?: string;
  url?: string;
  product_ids?: string[];
  group_ids?: string[];
}

// ---------------------------------------------------------------------------------------------
// Reader output
// ---------------------------------------------------------------------------------------------

export type CsafSeverity = 'none' | 'low' | 'medium' | 'high' | 'critical';
export type CsafProductStatus = 'known_affected' | 'under_investigation' | 'fixed' | 'known_not_affected' | 'other';

/** Why a document says a product is not affected (or what it says while investigating), per vulnerability. */
export interface CsafVexReason {
  cve: string | null;
  /** Flag labels: component_not_present, vulnerable_code_not_present, vulnerable_code_cannot_be_controlled_by_adversary, ... */
  flags: string[];
  /** Threats of category impact: the vendor's impact statement. */
  impacts: string[];
}

export interface CsafAdvisory {
  trackingId: string;
  /** document.tracking.version */
  revision: string;
  title: string;
  publisher: string;
  /** document.publisher.namespace as a matching key (see publisherKey): half of the advisory's identity. */
  publisherNamespace: string;
  initialReleaseDate?: string;
  currentReleaseDate?: string;
  /** Every vulnerabilities[].cve, first occurrence order, without duplicates. */
  cves: string[];
  /** Highest CVSS v3 base score of the document; CVSS v2 only when the document has no v3 score at all. */
  cvssScore?: number;
  cvssVector?: string;
  severity?: CsafSeverity;
  /** Distinct vendor_fix and mitigation remediation details, document order, joined with '\n'. */
  remediationText: string;
  products: CsafProduct[];
}

export interface CsafProduct {
  /** full_product_name.product_id (the first id when identical duplicates were merged, see productIds). */
  productId: string;
  /** Every product id this entry stands for; more than one when identical duplicates were merged. */
  productIds: string[];
  /** Name of the nearest ancestor branch of category 'vendor' ('' when there is none). */
  vendor: string;
  /** Nearest 'product_name' branch name, else nearest 'product_family', else full_product_name.name. */
  productName: string;
  /** Raw product_version / product_version_range branch name; null when the leaf is not a version branch. */
  versionExpression: string | null;
  /**
   * 'exact' for product_version, 'range' for product_version_range (CSAF semantics), 'none' without a
   * version branch. Exception: a product_version holding a vers: string ("vers:all/*") is 'range'.
   * The expression is loose text either way ("BT03 | BT04", "9.x model 35700BAX3"); the caller parses it.
   */
  versionKind: 'exact' | 'range' | 'none';
  /** full_product_name.name, e.g. "VC150: prior to Version 1.7.15". */
  fullName: string;
  /** product_identification_helper.model_numbers followed by skus. */
  modelNumbers: string[];
  status: CsafProductStatus;
  /** CVEs whose product_status lists this product as affected or fixed (not known_not_affected). */
  cves: string[];
  fixedVersion: string | null;
  fixedVersionSource: 'remediation_text' | 'fixed_status' | null;
  /** For known_not_affected and under_investigation: the document's flags and impact statements for this product. */
  vexReasons: CsafVexReason[];
}
