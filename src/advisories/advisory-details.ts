import type { UnmappedRow } from './advisories.repository';
import { AdvisoryRecord, AffectedRecord } from './advisory.types';

/** One advisory as the service answers it; its own file, so the response DTOs need no service. */
export interface AdvisoryDetails {
  advisory: AdvisoryRecord;
  affected: AffectedRecord[];
  /** Null for a manufacturer: counts of the hospital's devices. */
  exposure: { openFindings: number; exposureUnknown: number } | null;
  unmapped: UnmappedRow[];
}
