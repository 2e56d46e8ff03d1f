import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import kevSchema from './kev-catalog.schema.json';

/**
 * CISA's Known Exploited Vulnerabilities catalog, checked against CISA's own published JSON schema
 * (kev-catalog.schema.json, a byte copy of cisagov/kev-data's known_exploited_vulnerabilities_schema.json)
 * and then against what the schema cannot say but loading needs. Pure: no I/O.
 */
export interface KevEntry {
  cve: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  dueDate: string | null;
  knownRansomware: boolean;
  requiredAction: string | null;
  notes: string | null;
}

export interface KevCatalog {
  catalogVersion: string;
  dateReleased: string;
  entries: KevEntry[];
}

/** One reason the catalog was refused: where (`vulnerabilities[3].cveID`) and why. */
export interface KevProblem {
  path: string;
  message: string;
}

export type KevReading = { catalog: KevCatalog } | { problems: KevProblem[] };

/** Shown in a 400 at most; a wholly wrong file would otherwise answer thousands. */
export const MAX_PROBLEMS = 20;
/** Column widths of kev_entries (migration 1764300020000) and threat_intel_feeds.version. */
const WIDTH = { vendorProject: 300, product: 300, catalogVersion: 100 } as const;

// The schema is draft-07 with a non-standard `url` keyword and `$defs`: strict mode would refuse
// the keyword; the `$ref` to `#/$defs/...` is a plain JSON pointer and resolves either way.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv, ['date', 'date-time']);
const validateSchema = ajv.compile(kevSchema);

interface RawVulnerability {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  requiredAction: string;
  dueDate: string;
  knownRansomwareCampaignUse?: string;
  notes?: string;
}

interface RawCatalog {
  catalogVersion: string;
  dateReleased: string;
  count: number;
  vulnerabilities: RawVulnerability[];
}

export function readKevCatalog(document: unknown): KevReading {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return { problems: [{ path: 'body', message: 'must be a JSON object (the KEV catalog as CISA publishes it)' }] };
  }
  if (!validateSchema(document)) return { problems: (validateSchema.errors ?? []).slice(0, MAX_PROBLEMS).map(toProblem) };
  const raw = document as unknown as RawCatalog;
  const problems: KevProblem[] = [];
  if (raw.catalogVersion.trim() === '' || raw.catalogVersion.length > WIDTH.catalogVersion) {
    problems.push({ path: 'catalogVersion', message: `must be 1 to ${WIDTH.catalogVersion} characters` });
  }
  // CISA's count always equals the list's length; a difference means a truncated or edited copy.
  if (raw.count !== raw.vulnerabilities.length) {
    problems.push({ path: 'count', message: `says ${raw.count} but vulnerabilities has ${raw.vulnerabilities.length} entries` });
  }
  const firstAt = new Map<string, number>();
  raw.vulnerabilities.forEach((v, i) => {
    const seen = firstAt.get(v.cveID);
    if (seen !== undefined) problems.push({ path: `vulnerabilities[${i}].cveID`, message: `${v.cveID} is listed twice (also vulnerabilities[${seen}])` });
    else firstAt.set(v.cveID, i);
    for (const field of ['vendorProject', 'product'] as const) {
      if (v[field].length > WIDTH[field]) problems.push({ path: `vulnerabilities[${i}].${field}`, message: `must be at most ${WIDTH[field]} characters` });
    }
  });
  if (problems.length) return { problems: problems.slice(0, MAX_PROBLEMS) };
  return {
    catalog: {
      catalogVersion: raw.catalogVersion,
      dateReleased: raw.dateReleased,
      entries: raw.vulnerabilities.map((v) => ({
        cve: v.cveID,
        vendorProject: v.vendorProject,
        product: v.product,
        vulnerabilityName: v.vulnerabilityName,
        dateAdded: v.dateAdded,
        dueDate: v.dueDate,
        knownRansomware: v.knownRansomwareCampaignUse === 'Known',
        requiredAction: v.requiredAction,
        notes: v.notes ?? null,
      })),
    },
  };
}

/** `/vulnerabilities/3` + missing `cveID` -> `vulnerabilities[3].cveID`, the API's way of naming a field. */
export function toProblem(e: ErrorObject): KevProblem {
  const segments = e.instancePath.split('/').slice(1).map(unescapePointer);
  if (e.keyword === 'required') segments.push(String((e.params as { missingProperty: string }).missingProperty));
  const path = segments.reduce((out, s) => (/^\d+$/.test(s) ? `${out}[${s}]` : out ? `${out}.${s}` : s), '') || 'body';
  const message = e.keyword === 'required' ? 'is required' : (e.message ?? 'is invalid');
  return { path, message };
}

const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
