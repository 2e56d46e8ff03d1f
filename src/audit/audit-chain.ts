import { createHash } from 'node:crypto';

/**
 * The audit log is a hash chain. Each entry's hash is SHA-256 over a canonical text of the entry:
 *
 *   jsonb_build_array(id::text, at as 'YYYY-MM-DDTHH:MM:SS.mmmZ' (UTC, milliseconds),
 *                     actor_kind, actor_id, actor_name, action, entity_type, entity_id, changes,
 *                     prev_hash)::text
 *
 * computed by PostgreSQL itself (built-in sha256(), no pgcrypto) from the stored values, so
 * nothing is lost between what is hashed and what is kept. `at` is stored at the millisecond,
 * so the canonical timestamp is exactly JavaScript's toISOString() of the API's `at`; `changes`
 * is hashed as jsonb's own canonical text (keys sorted by byte length then bytes, ", " and ": "
 * separators), whatever key order the writer used. The first entry's prev_hash is 64 zeros.
 * canonicalAuditText() below rebuilds the same text outside the database, so an auditor can
 * check an export of GET /audit without trusting this service.
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Serializes appends across every replica: the chain has one tip, so its writers take turns. */
export const AUDIT_CHAIN_LOCK_ID = 7_316_052_002;

/** The entry hash over the columns of the row (or CTE) aliased `alias`. */
export function auditEntryHashSql(alias: string): string {
  const c = (column: string) => `${alias}.${column}`;
  return `encode(sha256(convert_to(jsonb_build_array(
      ${c('id')}::text,
      to_char(${c('at')} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      ${c('actor_kind')}, ${c('actor_id')}, ${c('actor_name')}, ${c('action')}, ${c('entity_type')}, ${c('entity_id')}, ${c('changes')},
      ${c('prev_hash')}::text
    )::text, 'UTF8')), 'hex')`;
}

export type AuditChainBreak = 'hash_mismatch' | 'prev_hash_mismatch';

export type AuditChainVerdict =
  | { ok: true; entries: number; headId: string | null; headHash: string | null }
  | { ok: false; entries: number; firstBrokenId: string; reason: AuditChainBreak };

export interface ChainedAuditEntry {
  id: string;
  at: Date | string;
  actorKind: string;
  actorId: string | null;
  actorName: string;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: unknown;
  prevHash: string;
}

/** PostgreSQL's jsonb text output: objects with keys by UTF-8 length then bytes, ", " and ": ". */
export function jsonbText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(jsonbText).join(', ')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort(byJsonbKeyOrder);
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${jsonbText((value as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

function byJsonbKeyOrder(a: string, b: string): number {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length - bb.length || Buffer.compare(ba, bb);
}

export function canonicalAuditText(e: ChainedAuditEntry): string {
  const at = typeof e.at === 'string' ? new Date(e.at) : e.at;
  return jsonbText([e.id, at.toISOString(), e.actorKind, e.actorId, e.actorName, e.action, e.entityType, e.entityId, e.changes ?? null, e.prevHash]);
}

/** The hash the database computes for an entry, recomputed from its exported fields. */
export function auditEntryHash(e: ChainedAuditEntry): string {
  return createHash('sha256').update(canonicalAuditText(e), 'utf8').digest('hex');
}
