/**
 * The columns a new device is written with, the same from POST /devices and from an import.
 * Pure. The DTO has passed validation (its transforms already trimmed serial and asset tag).
 */
import type { CreateDeviceDto } from './dto/device.dto';
import type { DeviceEntity } from './entities/device.entity';
import type { ParsedUdi } from './udi';

export type UdiFields = Pick<DeviceEntity, 'udiDi' | 'lotNumber' | 'expirationDate' | 'manufactureDate'>;
export type NewDeviceFields = Pick<
  DeviceEntity,
  'modelId' | 'serialNumber' | 'assetTag' | 'udi' | 'firmwareVersion' | 'location' | 'department' | 'systemExposure' | 'missionImpact' | 'safetyImpact'
> &
  UdiFields;

/** What a device's parsed UDI says about it; nothing when it has no UDI. */
export function udiFields(udi: ParsedUdi | undefined): UdiFields {
  return {
    udiDi: udi?.deviceIdentifier ?? null,
    lotNumber: udi?.lotNumber ?? null,
    expirationDate: udi?.expirationDate ?? null,
    manufactureDate: udi?.manufactureDate ?? null,
  };
}

/** `udi` is the result of checkUdi on dto.udi (undefined when the DTO has none). */
export function newDeviceFields(dto: CreateDeviceDto, udi: ParsedUdi | undefined): NewDeviceFields {
  return {
    modelId: dto.modelId,
    serialNumber: dto.serialNumber,
    assetTag: dto.assetTag ?? null,
    udi: dto.udi ?? null,
    ...udiFields(udi),
    firmwareVersion: dto.firmwareVersion ?? null,
    location: dto.location ?? null,
    department: dto.department ?? null,
    systemExposure: dto.systemExposure ?? null,
    missionImpact: dto.missionImpact ?? null,
    safetyImpact: dto.safetyImpact ?? null,
  };
}
