import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DeepPartial, EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { decodeCursor, encodeCursor } from './device-cursor';
import { escapeLike } from './device-models.repository';
import { DeviceQueryDto, DeviceSort } from './dto/device-query.dto';
import { DeviceEntity } from './entities/device.entity';
import { FirmwareChangeSource, FirmwareHistoryEntity } from './entities/firmware-history.entity';

const SORT_COLUMN: Record<DeviceSort, string> = {
  createdAt: 'd.created_at',
  // The expression and tie-breaker of the device_presence_seen index (p is joined for this sort).
  lastSeenAt: "COALESCE(p.last_seen_at, '-infinity'::timestamptz)",
  serialNumber: 'd.serial_number',
};
const SORT_ID: Record<DeviceSort, string> = { createdAt: 'd.id', lastSeenAt: 'p.device_id', serialNumber: 'd.id' };

export interface FirmwareChange {
  deviceId: string;
  fromVersion: string | null;
  toVersion: string | null;
  source: FirmwareChangeSource;
  actorId: string | null;
}

@Injectable()
export class DevicesRepository {
  constructor(@InjectRepository(DeviceEntity) private readonly repo: Repository<DeviceEntity>) {}

  /** Runs work in one transaction: the write and its audit entry commit together. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.repo.manager.transaction(work);
  }

  insert(m: EntityManager, fields: DeepPartial<DeviceEntity>): Promise<DeviceEntity> {
    return m.getRepository(DeviceEntity).save(fields as DeviceEntity);
  }

  async update(m: EntityManager, id: string, patch: QueryDeepPartialEntity<DeviceEntity>): Promise<void> {
    await m.getRepository(DeviceEntity).update({ id }, patch);
  }

  findById(id: string): Promise<DeviceEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  /** Keyset paging on (sort key, id): the same cost on page 1 and page 20,000. */
  async page(q: DeviceQueryDto): Promise<{ items: DeviceEntity[]; nextCursor: string | null }> {
    const sort = q.sort ?? 'createdAt';
    const desc = q.order === 'desc';
    const limit = q.limit ?? 50;
    const sortExpr = SORT_COLUMN[sort];
    const qb = this.repo.createQueryBuilder('d');
    if (q.manufacturerId || q.category) {
      qb.innerJoin('device_models', 'm', 'm.id = d.model_id');
      if (q.manufacturerId) qb.andWhere('m.manufacturer_id = :manufacturerId', { manufacturerId: q.manufacturerId });
      if (q.category) qb.andWhere('m.category = :category', { category: q.category });
    }
    if (q.modelId) qb.andWhere('d.model_id = :modelId', { modelId: q.modelId });
    if (q.status) qb.andWhere('d.status = :status', { status: q.status });
    else qb.andWhere(`d.status <> 'decommissioned'`);
    if (q.location) qb.andWhere('d.location = :location', { location: q.location });
    if (q.department) qb.andWhere('d.department = :department', { department: q.department });
    if (q.firmwareVersion) qb.andWhere('d.firmware_version = :firmwareVersion', { firmwareVersion: q.firmwareVersion });
    if (sort === 'lastSeenAt' || q.seenBefore || q.seenAfter || q.connectivity) qb.innerJoin('device_presence', 'p', 'p.device_id = d.id');
    if (q.connectivity) qb.andWhere('p.connectivity = :connectivity', { connectivity: q.connectivity });
    if (q.seenBefore) qb.andWhere('p.last_seen_at < :seenBefore', { seenBefore: q.seenBefore });
    if (q.seenAfter) qb.andWhere('p.last_seen_at >= :seenAfter', { seenAfter: q.seenAfter });
    if (q.q) {
      qb.andWhere('(lower(d.serial_number) LIKE :prefix OR lower(d.asset_tag) LIKE :prefix)', { prefix: `${escapeLike(q.q.toLowerCase())}%` });
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor, sort);
      const cast = sort === 'serialNumber' ? '' : '::timestamptz';
      qb.andWhere(`(${sortExpr}, ${SORT_ID[sort]}) ${desc ? '<' : '>'} (:cv${cast}, :cid::uuid)`, { cv: c.value, cid: c.id });
    }
    qb.orderBy(sortExpr, desc ? 'DESC' : 'ASC')
      .addOrderBy(SORT_ID[sort], desc ? 'DESC' : 'ASC')
      .limit(limit + 1);
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > limit && last ? encodeCursor({ sort, value: this.sortValue(last, sort), id: last.id }) : null;
    return { items, nextCursor };
  }

  private sortValue(d: DeviceEntity, sort: DeviceSort): string {
    if (sort === 'serialNumber') return d.serialNumber;
    if (sort === 'lastSeenAt') return d.lastSeenAt ? d.lastSeenAt.toISOString() : '-infinity';
    return d.createdAt.toISOString();
  }

  async history(deviceId: string): Promise<FirmwareHistoryEntity[]> {
    return this.repo.manager.getRepository(FirmwareHistoryEntity).find({ where: { deviceId }, order: { id: 'ASC' } });
  }

  async recordFirmwareChanges(manager: EntityManager, changes: FirmwareChange[]): Promise<void> {
    if (!changes.length) return;
    await manager.query(
      `INSERT INTO firmware_history (device_id, from_version, to_version, source, actor_id)
       SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[])`,
      [
        changes.map((c) => c.deviceId),
        changes.map((c) => c.fromVersion),
        changes.map((c) => c.toVersion),
        changes.map((c) => c.source),
        changes.map((c) => c.actorId),
      ],
    );
  }
}
