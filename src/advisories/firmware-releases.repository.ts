import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface FirmwareReleaseRow {
  id: string;
  model_id: string;
  version: string;
  released_at: string | null;
  security_fix: boolean;
  notes: string | null;
  created_at: Date;
}

export interface NewFirmwareRelease {
  modelId: string;
  version: string;
  releasedAt: string | null;
  securityFix: boolean;
  notes: string | null;
}

const COLUMNS = 'id, model_id, version, released_at::text, security_fix, notes, created_at';

/** The firmware releases manufacturers publish per model. */
@Injectable()
export class FirmwareReleasesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(m: EntityManager, r: NewFirmwareRelease): Promise<FirmwareReleaseRow> {
    const [row]: FirmwareReleaseRow[] = await m.query(
      `INSERT INTO firmware_releases (model_id, version, released_at, security_fix, notes) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [r.modelId, r.version, r.releasedAt, r.securityFix, r.notes],
    );
    return row;
  }

  ofModel(modelId: string): Promise<FirmwareReleaseRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM firmware_releases WHERE model_id = $1 ORDER BY released_at NULLS LAST, created_at`, [modelId]);
  }
}
