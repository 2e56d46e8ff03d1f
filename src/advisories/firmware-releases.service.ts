import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { uniqueViolation } from '../database/pg-errors';
import { parseVersion } from '../firmware';
import { DeviceModelsRepository } from '../inventory/device-models.repository';
import { CreateFirmwareReleaseDto, FirmwareReleaseDto } from './dto/firmware-release.dto';
import { FirmwareReleaseRow, FirmwareReleasesRepository } from './firmware-releases.repository';

const toDto = (r: FirmwareReleaseRow): FirmwareReleaseDto => ({
  id: r.id,
  modelId: r.model_id,
  version: r.version,
  releasedAt: r.released_at,
  securityFix: r.security_fix,
  notes: r.notes,
  createdAt: r.created_at,
});

/** Firmware releases a manufacturer publishes per model; devices count how far behind they are. */
@Injectable()
export class FirmwareReleasesService {
  constructor(
    private readonly releases: FirmwareReleasesRepository,
    private readonly models: DeviceModelsRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Principal, modelId: string, dto: CreateFirmwareReleaseDto): Promise<FirmwareReleaseDto> {
    await this.visibleModel(actor, modelId);
    if (!parseVersion(dto.version)) throw new InvalidInputError(`version: "${dto.version}" is not a version we can compare`);
    try {
      return await this.releases.transaction(async (m) => {
        const row = await this.releases.insert(m, {
          modelId,
          version: dto.version,
          releasedAt: dto.releasedAt ?? null,
          securityFix: dto.securityFix ?? false,
          notes: dto.notes ?? null,
        });
        await this.audit.record(m, actor, { action: 'create', entityType: 'firmware_release', entityId: row.id, changes: { modelId, ...dto } });
        return toDto(row);
      });
    } catch (e) {
      if (uniqueViolation(e)) throw new ConflictError(`version: release ${dto.version} of this model already exists`);
      throw e;
    }
  }

  async list(actor: Principal, modelId: string): Promise<FirmwareReleaseDto[]> {
    await this.visibleModel(actor, modelId);
    return (await this.releases.ofModel(modelId)).map(toDto);
  }

  /** Another manufacturer's model is a 404 like a model that does not exist: no hint of the catalog. */
  private async visibleModel(actor: Principal, modelId: string): Promise<void> {
    const model = await this.models.findById(modelId);
    if (!model || (actor.role === 'manufacturer' && actor.manufacturerId !== model.manufacturerId)) throw new NotFoundError('Device model', modelId);
  }
}
