import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../auth/role';
import { AuditEntryEntity } from './audit-entry.entity';
import type { AuditRecord } from './audit.service';
import { AuditQueryDto } from './dto/audit-query.dto';

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, actor: Principal, r: AuditRecord): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (at, actor_kind, actor_id, actor_name, action, entity_type, entity_id, changes)
       VALUES (clock_timestamp(), $1, $2, $3, $4, $5, $6, $7)`,
      [actor.kind, actor.id, actor.name, r.action, r.entityType, r.entityId, r.changes ? JSON.stringify(r.changes) : null],
    );
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
    const rows = await qb.orderBy('a.id', 'DESC').limit(limit + 1).getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
