import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DeepPartial, EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { DeviceModelQueryDto } from './dto/device-model.dto';
import { DeviceModelEntity } from './entities/device-model.entity';

@Injectable()
export class DeviceModelsRepository {
  constructor(@InjectRepository(DeviceModelEntity) private readonly repo: Repository<DeviceModelEntity>) {}

  /** Runs work in one transaction: the write and its audit entry commit together. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.repo.manager.transaction(work);
  }

  insert(m: EntityManager, fields: DeepPartial<DeviceModelEntity>): Promise<DeviceModelEntity> {
    return m.getRepository(DeviceModelEntity).save(fields as DeviceModelEntity);
  }

  async update(m: EntityManager, id: string, patch: QueryDeepPartialEntity<DeviceModelEntity>): Promise<void> {
    await m.getRepository(DeviceModelEntity).update({ id }, patch);
  }

  findById(id: string): Promise<DeviceModelEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<DeviceModelEntity[]> {
    return ids.length ? this.repo.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  listByManufacturer(manufacturerId: string): Promise<DeviceModelEntity[]> {
    return this.repo.find({ where: { manufacturerId } });
  }

  search(q: DeviceModelQueryDto, onlyManufacturerId?: string): Promise<DeviceModelEntity[]> {
    const qb = this.repo.createQueryBuilder('m');
    const manufacturerId = onlyManufacturerId ?? q.manufacturerId;
    if (onlyManufacturerId && q.manufacturerId && q.manufacturerId !== onlyManufacturerId) return Promise.resolve([]);
    if (manufacturerId) qb.andWhere('m.manufacturer_id = :manufacturerId', { manufacturerId });
    if (q.category) qb.andWhere('m.category = :category', { category: q.category });
    if (q.q) qb.andWhere('(m.name ILIKE :q OR m.model_number ILIKE :q)', { q: `%${escapeLike(q.q)}%` });
    return qb
      .orderBy('m.name', 'ASC')
      .addOrderBy('m.id', 'ASC')
      .limit(q.limit ?? 100)
      .offset(q.offset ?? 0)
      .getMany();
  }
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
