import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { uniqueViolation } from '../database/pg-errors';
import { parseVersion } from '../firmware';
import { DeviceModelsRepository } from '../inventory/device-models.repository';
import { CreateFirmwareReleaseDto, FirmwareReleaseDto } from './dto/firmware-release.dto';

type Row = { id: string; model_id: string; version: string; released_at: string | null; security_fix: boolean; notes: string | null; created_at: Date };
const toDto = (r: Row): FirmwareReleaseDto => ({ id: r.id, modelId: r.model_id, version: r.version, releasedAt: r.released_at, securityFix: r.security_fix, notes: r.notes, createdAt: r.created_at });

/** Firmware releases a manufacturer publishes per model; devices count how far behind they are. */
@Injectable()
export class FirmwareReleasesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly models: DeviceModelsRepository,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Principal, modelId: string, dto: CreateFirmwareReleaseDto): Promise<FirmwareReleaseDto> {
    await this.visibleModel(actor, modelId);
    if (!parseVersion(dto.version)) throw new InvalidInputError(`version: "${dto.version}" is not a version we can compare`);
    try {
      return await this.dataSource.transaction(async (m) => {
        const [row]: Row[] = await m.query(
          `INSERT INTO firmware_releases (model_id, version, released_at, security_fix, notes) VALUES ($1, $2, $3, $4, $5)
           RETURNING id, model_id, version, released_at::text, security_fix, notes, created_at`,
          [modelId, dto.version, dto.releasedAt ?? null, dto.securityFix ?? false, dto.notes ?? null],
        );
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
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, model_id, version, released_at::text, security_fix, notes, created_at FROM firmware_releases WHERE model_id = $1 ORDER BY released_at NULLS LAST, created_at`,
      [modelId],
    );
    return rows.map(toDto);
  }

  /** Another manufacturer's model is a 404 like a model that does not exist: no hint of the catalog. */
  private async visibleModel(actor: Principal, modelId: string): Promise<void> {
    const model = await this.models.findById(modelId);
    if (!model || (actor.role === 'manufacturer' && actor.manufacturerId !== model.manufacturerId)) throw new NotFoundError('Device model', modelId);
  }
}
