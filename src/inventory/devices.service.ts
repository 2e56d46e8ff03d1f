import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { uniqueViolation } from '../database/pg-errors';
import { DeviceModelsRepository } from './device-models.repository';
import { DevicesRepository } from './devices.repository';
import { CreateDeviceDto, UpdateDeviceDto } from './dto/device.dto';
import { DeviceQueryDto } from './dto/device-query.dto';
import { DeviceEntity } from './entities/device.entity';
import { FirmwareHistoryEntity } from './entities/firmware-history.entity';
import { diffFields } from './field-diff';
import { DEVICE_DECOMMISSIONED, DeviceDecommissionedEvent, DEVICES_CHANGED, DevicesChangedEvent } from './inventory.events';
import { newDeviceFields, udiFields } from './new-device';
import { DeviceView, PATIENT_REF_AUDIT_MARK, PatientLinks, PatientRefUnavailableError } from './patient-links';
import { checkUdi } from './udi-check';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from '../prioritisation/prioritisation.events';

@Injectable()
export class DevicesService {
  constructor(
    private readonly devices: DevicesRepository,
    private readonly models: DeviceModelsRepository,
    private readonly audit: AuditService,
    private readonly patientLinks: PatientLinks,
    private readonly events: EventEmitter2,
  ) {}

  async register(actor: Principal, dto: CreateDeviceDto): Promise<DeviceView> {
    const patientRef = dto.patientRef ?? null;
    if (patientRef !== null) this.patientLinks.assertMaySet(actor);
    const model = await this.models.findById(dto.modelId);
    if (!model) throw new InvalidInputError(`modelId: no device model ${dto.modelId}`);
    const udi = dto.udi ? checkUdi(dto.udi, model, dto.serialNumber) : undefined;
    try {
      const device = await this.devices.transaction(async (manager) => {
        const saved = await this.devices.insert(manager, newDeviceFields(dto, udi));
        // Sealed after the insert: the ciphertext is bound to the device id, which the insert makes.
        if (patientRef !== null) await this.devices.update(manager, saved.id, this.patientLinks.seal(saved.id, patientRef));
        if (saved.firmwareVersion) {
          await this.devices.recordFirmwareChanges(manager, [
            { deviceId: saved.id, fromVersion: null, toVersion: saved.firmwareVersion, source: 'registration', actorId: actor.id },
          ]);
        }
        const { patientRef: _ref, ...audited } = dto;
        await this.audit.record(manager, actor, {
          action: 'create',
          entityType: 'device',
          entityId: saved.id,
          changes: patientRef === null ? { ...audited } : { ...audited, patientRef: PATIENT_REF_AUDIT_MARK },
        });
        return saved;
      });
      this.emit({ deviceIds: [device.id], reason: 'registered' });
      return this.patientLinks.view(actor, (await this.devices.findById(device.id))!);
    } catch (e) {
      throw this.translate(e, dto);
    }
  }

  async list(viewer: Principal, q: DeviceQueryDto): Promise<{ items: DeviceView[]; nextCursor: string | null }> {
    const page = await this.devices.page(q);
    return { items: page.items.map((d) => this.patientLinks.view(viewer, d)), nextCursor: page.nextCursor };
  }

  /** One device as this viewer may see it (with its patient link for admin and biomed). */
  async read(viewer: Principal, id: string): Promise<DeviceView> {
    return this.patientLinks.view(viewer, await this.get(id));
  }

  async get(id: string): Promise<DeviceEntity> {
    const device = await this.devices.findById(id);
    if (!device) throw new NotFoundError('Device', id);
    return device;
  }

  async update(actor: Principal, id: string, dto: UpdateDeviceDto): Promise<DeviceView> {
    if (dto.patientRef !== undefined) this.patientLinks.assertMaySet(actor);
    const before = await this.get(id);
    const next: Partial<DeviceEntity> = {};
    for (const key of [
      'serialNumber',
      'assetTag',
      'firmwareVersion',
      'location',
      'department',
      'status',
      'systemExposure',
      'missionImpact',
      'safetyImpact',
    ] as const) {
      if (dto[key] !== undefined) (next as Record<string, unknown>)[key] = dto[key];
    }
    if (dto.status === 'active' || dto.status === 'maintenance') next.decommissionedAt = null;
    if (dto.udi !== undefined) {
      const model = (await this.models.findById(before.modelId))!;
      const udi = checkUdi(dto.udi, model, dto.serialNumber ?? before.serialNumber);
      Object.assign(next, { udi: dto.udi, ...udiFields(udi) });
    }
    const changes = diffFields(before, next);
    const sealedPatch = this.patientRefChange(before, dto.patientRef, changes);
    if (!Object.keys(changes).length) return this.patientLinks.view(actor, before);
    try {
      await this.devices.transaction(async (manager) => {
        await this.devices.update(manager, id, { ...next, ...sealedPatch });
        if (changes.firmwareVersion) {
          await this.devices.recordFirmwareChanges(manager, [
            { deviceId: id, fromVersion: before.firmwareVersion, toVersion: next.firmwareVersion ?? null, source: 'edit', actorId: actor.id },
          ]);
        }
        await this.audit.record(manager, actor, { action: 'update', entityType: 'device', entityId: id, changes });
      });
    } catch (e) {
      throw this.translate(e, { ...before, ...dto });
    }
    if (changes.firmwareVersion || changes.status) this.emit({ deviceIds: [id], reason: changes.firmwareVersion ? 'firmware' : 'status' });
    if (changes.systemExposure || changes.missionImpact || changes.safetyImpact) {
      // Awaited: the answer, and what the caller reads next, show the decisions these inputs make.
      const event: PriorityInputsChangedEvent = { scope: 'devices', deviceIds: [id] };
      await this.events.emitAsync(PRIORITY_INPUTS_CHANGED, event);
    }
    return this.patientLinks.view(actor, (await this.devices.findById(id))!);
  }

  /**
   * The sealed columns to write when the patient link really changes, and its audit line, which
   * says that it changed (and whether a link exists before and after), never to whom.
   */
  private patientRefChange(before: DeviceEntity, wanted: string | null | undefined, changes: Record<string, { from: unknown; to: unknown }>) {
    if (wanted === undefined || this.readablePatientRef(before) === wanted) return {};
    changes.patientRef = { from: before.patientRefSealed === null ? null : PATIENT_REF_AUDIT_MARK, to: wanted === null ? null : PATIENT_REF_AUDIT_MARK };
    return this.patientLinks.seal(before.id, wanted);
  }

  /** undefined when the link cannot be opened: it can still be replaced or removed, which is how it is repaired. */
  private readablePatientRef(device: DeviceEntity): string | null | undefined {
    try {
      return this.patientLinks.open(device);
    } catch (e) {
      if (e instanceof PatientRefUnavailableError) return undefined;
      throw e;
    }
  }

  /** Decommissioning keeps the device and its history; it only leaves active views and reports. */
  async decommission(actor: Principal, id: string): Promise<DeviceView> {
    const before = await this.get(id);
    if (before.status === 'decommissioned') return this.patientLinks.view(actor, before);
    const changes: Record<string, { from: unknown; to: unknown }> = { status: { from: before.status, to: 'decommissioned' } };
    // A device out of service is attached to no one: keeping the patient's id on it would be data without a purpose.
    if (before.patientRefSealed !== null) changes.patientRef = { from: PATIENT_REF_AUDIT_MARK, to: null };
    await this.devices.transaction(async (manager) => {
      await this.devices.update(manager, id, { status: 'decommissioned', decommissionedAt: new Date(), patientRefSealed: null, patientRefKeyId: null });
      await this.audit.record(manager, actor, { action: 'decommission', entityType: 'device', entityId: id, changes });
    });
    const decommissioned: DeviceDecommissionedEvent = { deviceId: id };
    this.events.emit(DEVICE_DECOMMISSIONED, decommissioned);
    this.emit({ deviceIds: [id], reason: 'status' });
    return this.patientLinks.view(actor, (await this.devices.findById(id))!);
  }

  async firmwareHistory(id: string): Promise<FirmwareHistoryEntity[]> {
    await this.get(id);
    return this.devices.history(id);
  }

  private emit(event: DevicesChangedEvent): void {
    this.events.emit(DEVICES_CHANGED, event);
  }

  private translate(e: unknown, dto: { serialNumber?: string; assetTag?: string | null }): unknown {
    const unique = uniqueViolation(e);
    if (unique === 'devices_asset_tag') return new ConflictError(`assetTag: another device already has asset tag "${dto.assetTag}"`);
    if (unique) return new ConflictError(`serialNumber: a device of this model with serial "${dto.serialNumber}" is already registered`);
    return e;
  }
}
