import type { components } from '../api/schema.gen';
import { Link } from '../router';
import type { Column } from './DataTable';
import { Badge, When } from './Layout';
import { DecisionBadge } from './Priority';

type Finding = components['schemas']['FindingDto'];

/** The columns a finding shows the same way wherever it is listed (a device's findings, an order's). */
export const findingColumns = {
  advisory: { header: 'Advisory', cell: (f) => <Link href={`/advisories/${f.advisoryId}`}>{f.trackingId ?? f.advisoryTitle}</Link> },
  decision: { header: 'Decision', cell: (f) => <DecisionBadge decision={f.priority?.decision} /> },
  severity: { header: 'Severity', cell: (f) => <Badge kind={f.severity} /> },
  affected: { header: 'Affected', cell: (f) => f.affectedVersions },
  fixed: { header: 'Minimum safe version', cell: (f) => f.fixedVersion ?? 'no fix known' },
  detected: { header: 'Detected', cell: (f) => <When at={f.detectedAt} /> },
} satisfies Record<string, Column<Finding>>;
