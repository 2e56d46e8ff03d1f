import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ManufacturerEntity } from './entities/manufacturer.entity';

@Injectable()
export class ManufacturersRepository {
  constructor(@InjectRepository(ManufacturerEntity) private readonly repo: Repository<ManufacturerEntity>) {}

  findById(id: string): Promise<ManufacturerEntity | null> {
    return this.repo.findOne({ where: { id } });
  }

  findByIds(ids: string[]): Promise<ManufacturerEntity[]> {
    return ids.length ? this.repo.find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  list(onlyId?: string): Promise<ManufacturerEntity[]> {
    return this.repo.find({ where: onlyId ? { id: onlyId } : {}, order: { name: 'ASC' } });
  }
}
