import type { UnmappedRow } from './advisories.repository';
import { AdvisoryRecord, AffectedRecord } from './advisory.types';
import type { ExploitStatement } from './csaf';
import type { MappedStatement } from './csaf-product-mapper';

/** One advisory as the service answers it; its own file, so the response DTOs need no service. */
export interface AdvisoryDetails {
  advisory: AdvisoryRecord;
  affected: AffectedRecord[];
  /** Null for a manufacturer: counts of the hospital's devices. */
  exposure: { openFindings: number; exposureUnknown: number } | null;
  unmapped: UnmappedRow[];
  /** Mapped products the document calls known_not_affected or under_investigation, with its reasons. */
  statements: MappedStatement[];
  /** The document's own words on exploitation, as read into advisory.exploitation. */
  exploitationStatements: ExploitStatement[];
}
