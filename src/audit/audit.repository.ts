import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../access/role';
import { toWellFormed } from '../common/unicode';
import { AUDIT_CHAIN_LOCK_ID, AUDIT_GENESIS_HASH, auditEntryHashSql, AuditChainBreak, AuditChainVerdict } from './audit-chain';
import { AuditEntryEntity } from './audit-entry.entity';
import type { AuditRecord } from './audit-record';
import { AuditQueryDto } from './dto/audit-query.dto';

const APPEND_SQL = `
  WITH v AS (
    SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id,
           date_trunc('milliseconds', clock_timestamp()) AS at,
           $1::varchar AS actor_kind, $2::varchar AS actor_id, $3::varchar AS actor_name,
           $4::varchar AS action, $5::varchar AS entity_type, $6::varchar AS entity_id, $7::jsonb AS changes,
           coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), '${AUDIT_GENESIS_HASH}')::text AS prev_hash
  )
  INSERT INTO audit_log (id, at, actor_kind, actor_id, actor_name, action, entity_type, entity_id, changes, prev_hash, hash)
  SELECT id, at, actor_kind, actor_id, actor_name, action, entity_type, entity_id, changes, prev_hash, ${auditEntryHashSql('v')}
  FROM v`;

// Each entry against its stored parent link and its own content; the first that fails is the
// first broken link. Window functions stream the table once, in id order.
const FIRST_BREAK_SQL = `
  WITH chain AS (
    SELECT a.id, a.hash, a.prev_hash,
           -- After a prune, the first kept entry links to the last pruned one, named by the newest checkpoint.
           coalesce(lag(a.hash) OVER (ORDER BY a.id),
                    (SELECT c.pruned_through_hash::text FROM audit_checkpoints c ORDER BY c.id DESC LIMIT 1),
                    '${AUDIT_GENESIS_HASH}') AS parent_hash,
           ${auditEntryHashSql('a')} AS recomputed
    FROM audit_log a
  )
  SELECT id::text AS id,
         CASE WHEN prev_hash IS DISTINCT FROM parent_hash THEN 'prev_hash_mismatch' ELSE 'hash_mismatch' END AS reason
  FROM chain
  WHERE prev_hash IS DISTINCT FROM parent_hash OR hash IS DISTINCT FROM recomputed
  ORDER BY chain.id
  LIMIT 1`;

// The newest checkpoint must be confirmed by the prune entry the chain holds for it: a checkpoint
// edited to hide entries deleted by hand names a hash that no prune entry names. Returns the first
// kept entry when it is not.
const UNCONFIRMED_CHECKPOINT_SQL = `
  WITH c AS (SELECT pruned_through_id, pruned_through_hash::text AS hash FROM audit_checkpoints ORDER BY id DESC LIMIT 1)
  SELECT (SELECT min(id) FROM audit_log)::text AS id
  FROM c
  WHERE NOT EXISTS (SELECT 1 FROM audit_log a
                     WHERE a.action = 'prune' AND a.entity_type = 'audit_log' AND a.id > c.pruned_through_id
                       AND a.changes ->> 'prunedThroughId' = c.pruned_through_id::text AND a.changes ->> 'prunedThroughHash' = c.hash)`;

/** What one prune of the audit log removed; null when nothing was old enough. */
export interface AuditPrune {
  prunedThroughId: string;
  prunedThroughHash: string;
  prunedEntries: number;
}

/**
 * jsonb refuses a lone surrogate (`\ud800`), and a refused audit entry fails the change it
 * records. Requests cannot carry one (the input guard refuses them), but the audit trail must
 * not be the reason a change made from any other source fails, so it stores U+FFFD instead.
 */
function wellFormedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? toWellFormed(value) : value;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Appends inside the caller's transaction. The transaction-scoped advisory lock makes appends
   * take turns until each one's transaction ends, so every entry reads the committed tip; a
   * rolled-back append leaves no entry and the next one links to the same tip.
   */
  async append(manager: EntityManager, actor: Principal, r: AuditRecord): Promise<void> {
    if (!manager.queryRunner?.isTransactionActive) {
      // Without a transaction the lock would be released before the insert: make one.
      await this.dataSource.transaction((m) => this.append(m, actor, r));
      return;
    }
    await manager.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_ID]);
    await manager.query(APPEND_SQL, [
      actor.kind,
      actor.id,
      actor.name,
      r.action,
      r.entityType,
      r.entityId,
      r.changes ? JSON.stringify(r.changes, wellFormedStrings) : null,
    ]);
  }

  /**
   * Removes the entries written before the cutoff, keeping the chain verifiable: under the chain
   * lock, a checkpoint names the last pruned entry (id and hash), a `prune` entry appended to the
   * chain names the same, and only then are the entries deleted. The first kept entry's parent is
   * then the checkpoint's hash (verify()).
   */
  async pruneBefore(cutoff: Date, actor: Principal): Promise<AuditPrune | null> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK_ID]);
      const [last]: Array<{ id: string; hash: string; n: string }> = await m.query(
        `SELECT l.id::text AS id, l.hash::text AS hash, (SELECT count(*) FROM audit_log WHERE id <= l.id)::text AS n
           FROM (SELECT id, hash FROM audit_log WHERE at < $1 ORDER BY id DESC LIMIT 1) l`,
        [cutoff],
      );
      if (!last) return null;
      const prune: AuditPrune = { prunedThroughId: last.id, prunedThroughHash: last.hash, prunedEntries: Number(last.n) };
      await m.query(`INSERT INTO audit_checkpoints (pruned_through_id, pruned_through_hash, pruned_entries) VALUES ($1, $2, $3)`, [
        last.id,
        last.hash,
        prune.prunedEntries,
      ]);
      await this.append(m, actor, { action: 'prune', entityType: 'audit_log', entityId: null, changes: { ...prune, cutoff: cutoff.toISOString() } });
      await m.query(`DELETE FROM audit_log WHERE id <= $1`, [last.id]);
      return prune;
    });
  }

  /** Recomputes the whole chain in the database, one pass. */
  async verify(): Promise<AuditChainVerdict> {
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const [summary]: Array<{ entries: string; head_id: string | null; head_hash: string | null }> = await m.query(
        `SELECT (SELECT count(*) FROM audit_log)::text AS entries, h.id::text AS head_id, h.hash AS head_hash
         FROM (SELECT 1) one LEFT JOIN (SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1) h ON true`,
      );
      const entries = Number(summary.entries);
      const [broken]: Array<{ id: string; reason: AuditChainBreak }> = await m.query(FIRST_BREAK_SQL);
      if (broken) return { ok: false, entries, firstBrokenId: broken.id, reason: broken.reason };
      const [unconfirmed]: Array<{ id: string }> = await m.query(UNCONFIRMED_CHECKPOINT_SQL);
      if (unconfirmed) return { ok: false, entries, firstBrokenId: unconfirmed.id, reason: 'prev_hash_mismatch' };
      return { ok: true, entries, headId: summary.head_id, headHash: summary.head_hash };
    });
  }

  async search(q: AuditQueryDto): Promise<{ items: AuditEntryEntity[]; nextCursor: string | null }> {
    const qb = this.dataSource.getRepository(AuditEntryEntity).createQueryBuilder('a');
    if (q.entityType) qb.andWhere('a.entity_type = :entityType', { entityType: q.entityType });
    if (q.entityId) qb.andWhere('a.entity_id = :entityId', { entityId: q.entityId });
    if (q.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: q.actorId });
    if (q.action) qb.andWhere('a.action = :action', { action: q.action });
    if (q.since) qb.andWhere('a.at >= :since', { since: q.since });
    if (q.until) qb.andWhere('a.at < :until', { until: q.until });
    if (q.cursor) qb.andWhere('a.id < :cursor', { cursor: q.cursor });
    const limit = q.limit ?? 100;
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
