import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface ReleaseRow {
  version: string;
  security_fix: boolean;
}

export interface OpenFindingFixRow {
  fixed_version: string | null;
  affected_versions: string;
}

/** What a device's firmware status is computed from: its model's releases and its open findings. */
@Injectable()
export class FirmwareStatusRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  releasesOfModel(modelId: string): Promise<ReleaseRow[]> {
    return this.dataSource.query(`SELECT version, security_fix FROM firmware_releases WHERE model_id = $1`, [modelId]);
  }

  openFindingsOf(deviceId: string): Promise<OpenFindingFixRow[]> {
    return this.dataSource.query(`SELECT fixed_version, affected_versions FROM findings WHERE device_id = $1 AND status = 'open'`, [deviceId]);
  }
}
