import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { compareVersions, maxVersion } from '../firmware';
import { DevicesService } from '../inventory/devices.service';
import { remediationFor } from './remediation';

export interface FirmwareStatus {
  deviceId: string;
  firmwareVersion: string | null;
  latestRelease: string | null;
  /** Releases newer than the device's firmware; null when that cannot be decided. */
  releasesBehind: number | null;
  securityReleasesBehind: number | null;
  openFindings: number;
  minimumSafeVersion: string | null;
  action: string | null;
  actionText: string | null;
}

/** One device's standing: how far behind the manufacturer's releases, and what fixes its findings. */
@Injectable()
export class FirmwareStatusService {
  constructor(
    private readonly devices: DevicesService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async of(deviceId: string): Promise<FirmwareStatus> {
    const device = await this.devices.get(deviceId);
    const [releases, findings]: [Array<{ version: string; security_fix: boolean }>, Array<{ fixed_version: string | null; affected_versions: string }>] = await Promise.all([
      this.dataSource.query(`SELECT version, security_fix FROM firmware_releases WHERE model_id = $1`, [device.modelId]),
      this.dataSource.query(`SELECT fixed_version, affected_versions FROM findings WHERE device_id = $1 AND status = 'open'`, [deviceId]),
    ]);
    const newer = device.firmwareVersion ? releases.map((r) => ({ ...r, order: compareVersions(r.version, device.firmwareVersion!) })) : [];
    const decidable = device.firmwareVersion !== null && newer.every((r) => r.order !== null);
    const remediation = findings.length ? remediationFor(findings.map((f) => ({ fixedVersion: f.fixed_version, affectedVersions: f.affected_versions }))) : null;
    return {
      deviceId,
      firmwareVersion: device.firmwareVersion,
      latestRelease: maxVersion(releases.map((r) => r.version)),
      releasesBehind: decidable ? newer.filter((r) => r.order === 1).length : null,
      securityReleasesBehind: decidable ? newer.filter((r) => r.order === 1 && r.security_fix).length : null,
      openFindings: findings.length,
      minimumSafeVersion: remediation?.minimumSafeVersion ?? null,
      action: remediation?.action ?? null,
      actionText: remediation?.actionText ?? null,
    };
  }
}
