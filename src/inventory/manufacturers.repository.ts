import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DeepPartial, EntityManager, In, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ManufacturerEntity } from './entities/manufacturer.entity';
import { NamedManufacturer } from './manufacturer-names';

/** Serialises writes of names and aliases, so two that collide cannot both check clean. */
const MANUFACTURER_NAMES_LOCK = 7_316_052_013;

@Injectable()
export class ManufacturersRepository {
  constructor(@InjectRepository(ManufacturerEntity) private readonly repo: Repository<ManufacturerEntity>) {}

  /** Runs work in one transaction: the write and its audit entry commit together. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.repo.manager.transaction(work);
  }

  insert(m: EntityManager, fields: DeepPartial<ManufacturerEntity>): Promise<ManufacturerEntity> {
    return m.getRepository(ManufacturerEntity).save(fields as ManufacturerEntity);
  }

  async update(m: EntityManager, id: string, patch: QueryDeepPartialEntity<ManufacturerEntity>): Promise<void> {
    await m.getRepository(ManufacturerEntity).update({ id }, patch);
  }

  findById(id: string): Promise<ManufacturerEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<ManufacturerEntity[]> {
    return ids.length ? this.repo.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  list(onlyId?: string): Promise<ManufacturerEntity[]> {
    return this.repo.find({ where: onlyId ? { id: onlyId } : {}, order: { name: 'ASC' } });
  }

  /** Every manufacturer's names, read under the names lock (held until the transaction ends). */
  async lockedNames(m: EntityManager): Promise<NamedManufacturer[]> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [MANUFACTURER_NAMES_LOCK]);
    return m.query('SELECT id, name, aliases FROM manufacturers');
  }
}
