import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ConflictError, NotFoundError } from '../common/domain-errors';
import { uniqueViolation } from '../database/pg-errors';
import { CreateManufacturerDto, UpdateManufacturerDto } from './dto/manufacturer.dto';
import { ManufacturerEntity } from './entities/manufacturer.entity';
import { ManufacturersRepository } from './manufacturers.repository';
import { diffFields } from './field-diff';
import { findNameCollision } from './manufacturer-names';
import { CATALOG_CHANGED, CatalogChangedEvent } from './inventory.events';

@Injectable()
export class ManufacturersService {
  constructor(
    private readonly manufacturers: ManufacturersRepository,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  async create(actor: Principal, dto: CreateManufacturerDto): Promise<ManufacturerEntity> {
    try {
      const created = await this.manufacturers.transaction(async (manager) => {
        const next = { name: dto.name.trim(), aliases: dedupe(dto.aliases) };
        await this.assertNamesFree(manager, next);
        const saved = await this.manufacturers.insert(manager, next);
        await this.audit.record(manager, actor, {
          action: 'create',
          entityType: 'manufacturer',
          entityId: saved.id,
          changes: { name: saved.name, aliases: saved.aliases },
        });
        return saved;
      });
      this.catalogChanged(created.id);
      return created;
    } catch (e) {
      if (uniqueViolation(e)) throw new ConflictError(`name: a manufacturer named "${dto.name}" already exists (names are unique ignoring case)`);
      throw e;
    }
  }

  /** A manufacturer key sees only its own manufacturer. */
  list(actor: Principal): Promise<ManufacturerEntity[]> {
    return this.manufacturers.list(actor.role === 'manufacturer' ? actor.manufacturerId : undefined);
  }

  async get(actor: Principal, id: string): Promise<ManufacturerEntity> {
    const found = await this.manufacturers.findById(id);
    if (!found || (actor.role === 'manufacturer' && actor.manufacturerId !== id)) throw new NotFoundError('Manufacturer', id);
    return found;
  }

  async update(actor: Principal, id: string, dto: UpdateManufacturerDto): Promise<ManufacturerEntity> {
    const before = await this.get(actor, id);
    const next = { name: dto.name?.trim() ?? before.name, aliases: dto.aliases ? dedupe(dto.aliases) : before.aliases };
    try {
      const updated = await this.manufacturers.transaction(async (manager) => {
        await this.assertNamesFree(manager, { id, ...next });
        await this.manufacturers.update(manager, id, next);
        await this.audit.record(manager, actor, { action: 'update', entityType: 'manufacturer', entityId: id, changes: diffFields(before, next) });
        return { ...before, ...next };
      });
      this.catalogChanged(id);
      return updated;
    } catch (e) {
      if (uniqueViolation(e)) throw new ConflictError(`name: a manufacturer named "${dto.name}" already exists`);
      throw e;
    }
  }

  /** Only admin and biomed write names, so the answer may say which manufacturer has it. */
  private async assertNamesFree(manager: EntityManager, candidate: { id?: string; name: string; aliases: string[] }): Promise<void> {
    const collision = findNameCollision(candidate, await this.manufacturers.lockedNames(manager));
    if (collision) {
      throw new ConflictError(
        `${collision.field}: "${collision.value}" is already a name or alias of manufacturer "${collision.other.name}" (${collision.other.id}); names and aliases are unique ignoring case, spacing and punctuation`,
      );
    }
  }

  private catalogChanged(manufacturerId: string): void {
    const event: CatalogChangedEvent = { manufacturerId };
    this.events.emit(CATALOG_CHANGED, event);
  }
}

function dedupe(values: string[] | undefined): string[] {
  return [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
}
