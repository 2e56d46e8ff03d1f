import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from '../prioritisation/prioritisation.events';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { foreignKeyViolation, uniqueViolation } from '../database/pg-errors';
import { DeviceModelsRepository } from './device-models.repository';
import { CreateDeviceModelDto, DeviceModelQueryDto, UpdateDeviceModelDto } from './dto/device-model.dto';
import { DeviceModelEntity } from './entities/device-model.entity';
import { diffFields } from './field-diff';
import { CATALOG_CHANGED, CatalogChangedEvent } from './inventory.events';
import { isValidGtinCheckDigit } from './udi';

@Injectable()
export class DeviceModelsService {
  constructor(
    private readonly models: DeviceModelsRepository,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  async create(actor: Principal, dto: CreateDeviceModelDto): Promise<DeviceModelEntity> {
    this.assertMayWrite(actor, dto.manufacturerId);
    this.assertMaySetSafetyImpact(actor, dto.safetyImpact);
    this.assertGtin(dto.gtin);
    try {
      const created = await this.models.transaction(async (manager) => {
        const saved = await this.models.insert(manager, {
          manufacturerId: dto.manufacturerId,
          modelNumber: dto.modelNumber.trim(),
          name: dto.name.trim(),
          category: dto.category,
          gtin: dto.gtin ?? null,
          aliases: [...new Set((dto.aliases ?? []).map((a) => a.trim()))],
          safetyImpact: dto.safetyImpact ?? null,
        });
        await this.audit.record(manager, actor, { action: 'create', entityType: 'device_model', entityId: saved.id, changes: { ...dto } });
        return saved;
      });
      this.catalogChanged(created.manufacturerId);
      return created;
    } catch (e) {
      throw this.translate(e, dto);
    }
  }

  search(actor: Principal, q: DeviceModelQueryDto): Promise<DeviceModelEntity[]> {
    return this.models.search(q, actor.role === 'manufacturer' ? actor.manufacturerId : undefined);
  }

  async get(actor: Principal, id: string): Promise<DeviceModelEntity> {
    const model = await this.models.findById(id);
    if (!model || (actor.role === 'manufacturer' && model.manufacturerId !== actor.manufacturerId)) throw new NotFoundError('Device model', id);
    return model;
  }

  async update(actor: Principal, id: string, dto: UpdateDeviceModelDto): Promise<DeviceModelEntity> {
    const before = await this.get(actor, id);
    this.assertMayWrite(actor, before.manufacturerId);
    this.assertMaySetSafetyImpact(actor, dto.safetyImpact);
    this.assertGtin(dto.gtin);
    const next: Partial<DeviceModelEntity> = {
      ...(dto.modelNumber !== undefined && { modelNumber: dto.modelNumber.trim() }),
      ...(dto.name !== undefined && { name: dto.name.trim() }),
      ...(dto.category !== undefined && { category: dto.category }),
      ...(dto.gtin !== undefined && { gtin: dto.gtin }),
      ...(dto.aliases !== undefined && { aliases: [...new Set(dto.aliases.map((a) => a.trim()))] }),
      ...(dto.safetyImpact !== undefined && { safetyImpact: dto.safetyImpact }),
    };
    try {
      const updated = await this.models.transaction(async (manager) => {
        if (Object.keys(next).length) await this.models.update(manager, id, next);
        await this.audit.record(manager, actor, { action: 'update', entityType: 'device_model', entityId: id, changes: diffFields(before, next) });
        return { ...before, ...next };
      });
      this.catalogChanged(before.manufacturerId);
      if ((before.safetyImpact ?? null) !== (updated.safetyImpact ?? null)) {
        // Awaited: the answer, and what the caller reads next, show the decisions this input makes.
        const event: PriorityInputsChangedEvent = { scope: 'models', modelIds: [id] };
        await this.events.emitAsync(PRIORITY_INPUTS_CHANGED, event);
      }
      return updated;
    } catch (e) {
      throw this.translate(e, { ...before, ...dto });
    }
  }

  private assertMayWrite(actor: Principal, manufacturerId: string): void {
    if (actor.role === 'manufacturer' && actor.manufacturerId !== manufacturerId) {
      throw new ForbiddenError('manufacturerId: a manufacturer key may write only its own models');
    }
  }

  /**
   * A model's safety impact is the hospital's reading of how its devices can hurt patients, and it
   * lowers or raises their priority: the manufacturer whose product it is does not set it.
   */
  private assertMaySetSafetyImpact(actor: Principal, safetyImpact: unknown): void {
    if (safetyImpact !== undefined && actor.role === 'manufacturer')
      throw new ForbiddenError('safetyImpact: set by the hospital (admin or biomed), not by a manufacturer');
  }

  private assertGtin(gtin: string | undefined): void {
    if (gtin && !isValidGtinCheckDigit(gtin)) throw new InvalidInputError(`gtin: check digit of ${gtin} is wrong`);
  }

  private translate(e: unknown, dto: { manufacturerId?: string; modelNumber?: string; gtin?: string | null }): unknown {
    const unique = uniqueViolation(e);
    // Unique per manufacturer (migration 1764300012000): the answer speaks of the writer's own models only.
    if (unique === 'device_models_gtin') return new ConflictError(`gtin: another model of this manufacturer already has GTIN ${dto.gtin}`);
    if (unique) return new ConflictError(`modelNumber: this manufacturer already has a model numbered "${dto.modelNumber}"`);
    if (foreignKeyViolation(e)) return new InvalidInputError(`manufacturerId: no manufacturer ${dto.manufacturerId}`);
    return e;
  }

  private catalogChanged(manufacturerId: string): void {
    const event: CatalogChangedEvent = { manufacturerId };
    this.events.emit(CATALOG_CHANGED, event);
  }
}
