import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { Principal } from '../../auth/role';
import { ConflictError, UnsupportedMediaTypeError } from '../../common/domain-errors';
import { uniqueViolation } from '../../database/pg-errors';
import { DeviceModelsRepository } from '../device-models.repository';
import { DevicesRepository } from '../devices.repository';
import { DEVICES_CHANGED, DevicesChangedEvent } from '../inventory.events';
import { readCsv } from './csv-reader';
import { DeviceImportRepository } from './device-import.repository';
import { readFhirBundle } from './fhir-bundle-reader';
import { ImportRejectedError, ReadResult } from './import-row';
import { bindModels, checkFields, modelReferences, NewDevice, planDevices } from './import-rules';

type ImportFormat = 'csv' | 'fhir';

/**
 * Bulk registration, all or nothing: every row is checked with the rules of POST /devices
 * before anything is written; then one transaction inserts every device, its firmware history
 * and one audit entry, and one event tells the findings module after the commit.
 */
@Injectable()
export class DeviceImportService {
  private readonly logger = new Logger(DeviceImportService.name);

  constructor(
    private readonly imports: DeviceImportRepository,
    private readonly models: DeviceModelsRepository,
    private readonly devices: DevicesRepository,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async import(actor: Principal, contentType: string | undefined, body: unknown): Promise<{ imported: number; ids: string[] }> {
    const format = formatOf(contentType);
    const read: ReadResult = format === 'csv' ? readCsv(typeof body === 'string' ? body : '') : readFhirBundle(body);
    const devices = await this.validate(read);
    const ids = await this.write(actor, format, devices);
    const event: DevicesChangedEvent = { deviceIds: ids, reason: 'import' };
    this.events.emit(DEVICES_CHANGED, event);
    this.logger.log({ actor: actor.id, format, imported: ids.length }, 'devices imported');
    return { imported: ids.length, ids };
  }

  private async validate(read: ReadResult): Promise<NewDevice[]> {
    const fields = checkFields(read.rows);
    const refs = modelReferences(fields.passed);
    // One after the other: see DeviceImportRepository.findTaken on parallel statements and the embedded database.
    const byId = await this.models.findByIds(refs.ids);
    const byName = await this.imports.findModelsByName(refs.names);
    const bound = bindModels(fields.passed, { byId: new Map(byId.map((m) => [m.id, m])), byName });
    const taken = await this.imports.findTaken(
      bound.bound.map(({ model, dto }) => ({ modelId: model.id, serialNumber: dto.serialNumber, assetTag: dto.assetTag ?? null })),
    );
    const plan = planDevices(bound.bound, taken);
    const errors = [...read.errors, ...fields.errors, ...bound.errors, ...plan.errors];
    if (errors.length) throw new ImportRejectedError(errors);
    return plan.devices;
  }

  private async write(actor: Principal, format: ImportFormat, devices: NewDevice[]): Promise<string[]> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const ids = await this.imports.insertDevices(manager, devices);
        await this.devices.recordFirmwareChanges(
          manager,
          devices.flatMap((d, i) =>
            d.firmwareVersion ? [{ deviceId: ids[i], fromVersion: null, toVersion: d.firmwareVersion, source: 'import' as const, actorId: actor.id }] : [],
          ),
        );
        // One entry for the whole import; its ids lead from the entry to every device.
        await this.audit.record(manager, actor, { action: 'import', entityType: 'device', entityId: null, changes: { format, count: ids.length, ids } });
        return ids;
      });
    } catch (e) {
      // Another request registered the same serial or asset tag between the check and the insert.
      const unique = uniqueViolation(e);
      if (unique === 'devices_asset_tag') throw new ConflictError('assetTag: a device with one of these asset tags was registered meanwhile; nothing imported');
      if (unique) throw new ConflictError('serialNumber: a device with one of these serials was registered meanwhile; nothing imported');
      throw e;
    }
  }
}

function formatOf(contentType: string | undefined): ImportFormat {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/fhir+json' || type === 'application/json') return 'fhir';
  throw new UnsupportedMediaTypeError(
    `Content-Type: must be text/csv or application/fhir+json (a FHIR R4 Bundle of Device resources), got "${type || 'none'}"`,
  );
}
