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
           coalesce(lag(a.hash) OVER (ORDER BY a.id), '${AUDIT_GENESIS_HASH}') AS parent_hash,
           ${auditEntryHashSql('a')} AS recomputed
    FROM audit_log a
  )
  SELECT id::text AS id,
         CASE WHEN prev_hash IS DISTINCT FROM parent_hash THEN 'prev_hash_mismatch' ELSE 'hash_mismatch' END AS reason
  FROM chain
  WHERE prev_hash IS DISTINCT FROM parent_hash OR hash IS DISTINCT FROM recomputed
  ORDER BY chain.id
  LIMIT 1`;

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
