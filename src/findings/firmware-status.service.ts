import { Injectable } from '@nestjs/common';
import { compareVersions, maxVersion } from '../firmware';
import { DevicesService } from '../inventory/devices.service';
import { FirmwareStatusRepository } from './firmware-status.repository';
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
    private readonly repository: FirmwareStatusRepository,
  ) {}

  async of(deviceId: string): Promise<FirmwareStatus> {
    const device = await this.devices.get(deviceId);
    const [releases, findings] = await Promise.all([this.repository.releasesOfModel(device.modelId), this.repository.openFindingsOf(deviceId)]);
    const newer = device.firmwareVersion ? releases.map((r) => ({ ...r, order: compareVersions(r.version, device.firmwareVersion!) })) : [];
    const decidable = device.firmwareVersion !== null && newer.every((r) => r.order !== null);
    const remediation = findings.length
      ? remediationFor(findings.map((f) => ({ fixedVersion: f.fixed_version, affectedVersions: f.affected_versions })))
      : null;
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
