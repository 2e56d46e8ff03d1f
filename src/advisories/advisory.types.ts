import { Severity } from './severity';

export interface AdvisoryRecord {
  id: string;
  manufacturerId: string | null;
  title: string;
  source: 'manual' | 'csaf';
  trackingId: string | null;
  /** CSAF document.publisher.namespace (publisherKey); with the tracking id, the document's identity. */
  publisherNamespace: string | null;
  /**
   * The manufacturer whose key or person submitted it; null when the hospital's staff did. A
   * manufacturer's submissions form their own identity space and are the only advisories it may
   * revise or withdraw.
   */
  submittedByManufacturerId: string | null;
  sourceRevision: string | null;
  cves: string[];
  cvssScore: number | null;
  cvssVector: string | null;
  severity: Severity;
  publishedAt: Date | null;
  remediation: string | null;
  /** What the advisory's own CSAF document says of exploitation (csaf/exploit-status.ts); null when it says nothing or was entered by hand. */
  exploitation: 'none' | 'public_poc' | 'active' | null;
  status: 'active' | 'withdrawn';
  withdrawnAt: Date | null;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface AffectedRecord {
  modelId: string;
  versions: string;
  fixedVersion: string | null;
  productRef: string | null;
}

export type AdvisoryFields = Pick<AdvisoryRecord, 'title' | 'cves' | 'cvssScore' | 'cvssVector' | 'severity' | 'publishedAt' | 'remediation'> &
  Partial<Pick<AdvisoryRecord, 'exploitation'>>;
