import { cursorFields, CursorField, decodeCursor, encodeCursor } from '../common/cursor-codec';
import { InvalidInputError } from '../common/domain-errors';

/** The outdated-firmware report's orders: priority (decision, EPSS, CVSS) is the default. */
export const REPORT_SORTS = ['priority', 'dueAt', 'lastSeen'] as const;
export type ReportSort = (typeof REPORT_SORTS)[number];

/** The first value of the priority order's cursor (reports.repository.ts encodes it). */
export const PRIORITY_CURSOR_TAG = 'decision-epss-cvss';

/**
 * A time-keyed order: the key is text with PostgreSQL's microseconds (a JavaScript Date keeps
 * milliseconds, and a cursor rounded to them would repeat or skip rows), and a missing time
 * sorts as 'infinity' / '-infinity' so the key is never null and stays a row comparison.
 */
interface TimeOrder {
  /** The key as the cursor carries it. */
  keySql: string;
  orderBy: string;
  /** Rows after the cursor ($key, $id). */
  after: (key: number, id: number) => string;
}

const utcText = (column: string, missing: string) =>
  `CASE WHEN ${column} IS NULL THEN '${missing}' ELSE to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END`;

export const TIME_ORDERS: Record<Exclude<ReportSort, 'priority'>, TimeOrder> = {
  // Soonest due first; devices with nothing due (defer, or no policy for their decision) last.
  dueAt: {
    keySql: utcText('e.next_due_at', 'infinity'),
    orderBy: `COALESCE(e.next_due_at, 'infinity'::timestamptz) ASC, e.device_id ASC`,
    after: (k, id) => `(COALESCE(e.next_due_at, 'infinity'::timestamptz), e.device_id) > ($${k}::timestamptz, $${id}::uuid)`,
  },
  // Most recently heard first (on the network now: reachable for an update); never seen last.
  lastSeen: {
    keySql: utcText('p.last_seen_at', '-infinity'),
    orderBy: `COALESCE(p.last_seen_at, '-infinity'::timestamptz) DESC, e.device_id DESC`,
    after: (k, id) => `(COALESCE(p.last_seen_at, '-infinity'::timestamptz), e.device_id) < ($${k}::timestamptz, $${id}::uuid)`,
  },
};

const MICRO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;

/** What utcText writes: infinity, -infinity, or a real UTC instant with microseconds, years 1..9999. */
const timeKey: CursorField = (v) => {
  if (v === 'infinity' || v === '-infinity') return true;
  if (typeof v !== 'string' || !MICRO_INSTANT.test(v)) return false;
  const d = new Date(v.slice(0, 23) + 'Z');
  return !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.toISOString().slice(0, 19) === v.slice(0, 19);
};

const REFUSAL = 'cursor: is not a cursor from this report or is damaged';

export function encodeTimeCursor(sort: Exclude<ReportSort, 'priority'>, key: string, id: string): string {
  return encodeCursor([sort, key, id]);
}

export function decodeTimeCursor(sort: Exclude<ReportSort, 'priority'>, raw: string): { key: string; id: string } {
  const [, key, id] = decodeCursor(raw, [cursorFields.exactly(sort), timeKey, cursorFields.uuid], REFUSAL) as [string, string, string];
  return { key, id };
}

/** The order a cursor was made for, when it names one (older cursors of the severity order name none). */
function orderOf(raw: string): ReportSort | null {
  try {
    const values: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(values)) return null;
    if (values[0] === PRIORITY_CURSOR_TAG) return 'priority';
    return REPORT_SORTS.find((s) => s !== 'priority' && s === values[0]) ?? null;
  } catch {
    return null;
  }
}

/** A cursor is a position in one order: in another it would skip or repeat rows, so it is refused by name. */
export function refuseCursorOfAnotherOrder(raw: string, sort: ReportSort): void {
  const of = orderOf(raw);
  if (of && of !== sort) throw new InvalidInputError(`cursor: belongs to sort=${of}, not sort=${sort}: start again without a cursor`);
}
