import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { FIRMWARE_VERSION_PATTERN } from '../../firmware';
import { CONNECTIVITY, Connectivity, DEVICE_STATUSES, DeviceStatus } from '../entities/device.entity';
import type { DeviceView } from '../patient-links';
import { MissionImpactField, SafetyImpactField, SystemExposureField } from '../../prioritisation/dto/impact-fields.decorators';
import { MISSION_IMPACT, MissionImpact, SAFETY_IMPACT, SafetyImpact, SYSTEM_EXPOSURE, SystemExposure } from '../../prioritisation/ssvc-decision-points';

// Identifiers are compared and searched exactly: spaces around them are typing noise, and a value
// of spaces only is no identifier at all, so it must fail IsNotEmpty rather than be stored.
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const NOT_BLANK = { message: 'must not be empty or only spaces' };

export class CreateDeviceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId!: string;

  @ApiProperty({ example: 'SN-0042-7781', maxLength: 100, description: 'Leading and trailing spaces are removed' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty(NOT_BLANK)
  @MaxLength(100)
  serialNumber!: string;

  @ApiPropertyOptional({ example: 'BME-10442', maxLength: 100, description: 'Leading and trailing spaces are removed' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsNotEmpty(NOT_BLANK)
  @MaxLength(100)
  assetTag?: string;

  @ApiPropertyOptional({ example: '(01)00844588003288(17)141120(10)7654321D(21)SN-0042-7781', description: 'GS1, HIBCC or ICCBBA UDI; parsed and checked' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  udi?: string;

  @ApiPropertyOptional({ example: '2.4.1', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Matches(FIRMWARE_VERSION_PATTERN, { message: 'must be 1-100 printable characters without leading or trailing spaces' })
  firmwareVersion?: string;

  @ApiPropertyOptional({ example: 'Building A / ICU / Bed 12', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({ example: 'Intensive Care', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  department?: string;

  @ApiPropertyOptional({
    type: String,
    example: 'MRN-00412977',
    maxLength: 100,
    nullable: true,
    description:
      'The patient the device is attached to (admin and biomed only). Stored encrypted, never logged or audited, ' +
      'returned only to admin and biomed; null on update removes the link.',
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @IsNotEmpty(NOT_BLANK)
  @MaxLength(100)
  @Matches(/^\P{Cc}*$/u, { message: 'must not contain control characters' })
  patientRef?: string | null;

  @SystemExposureField()
  systemExposure?: SystemExposure | null;

  @MissionImpactField()
  missionImpact?: MissionImpact | null;

  @SafetyImpactField('device')
  safetyImpact?: SafetyImpact | null;
}

export class UpdateDeviceDto extends PartialType(OmitType(CreateDeviceDto, ['modelId'] as const)) {
  @ApiPropertyOptional({ enum: ['active', 'maintenance'], description: 'Use DELETE to decommission' })
  @IsOptional()
  @IsIn(['active', 'maintenance'])
  status?: 'active' | 'maintenance';
}

export class DeviceResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) assetTag!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) udi!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Device identifier parsed from the UDI' }) udiDi!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lotNumber!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date' }) expirationDate!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, format: 'date' }) manufactureDate!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) firmwareVersion!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) location!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) department!: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) status!: DeviceStatus;
  @ApiPropertyOptional({ enum: SYSTEM_EXPOSURE, nullable: true, description: 'SSVC System Exposure; null: not set (assumed open)' })
  systemExposure!: SystemExposure | null;
  @ApiPropertyOptional({ enum: MISSION_IMPACT, nullable: true, description: 'SSVC Mission Impact; null: not set (assumed mission_failure)' })
  missionImpact!: MissionImpact | null;
  @ApiPropertyOptional({ enum: SAFETY_IMPACT, nullable: true, description: "This device's SSVC Safety Impact override; null: its model's applies" })
  safetyImpact!: SafetyImpact | null;
  @ApiProperty({ enum: CONNECTIVITY, description: 'From heartbeats: offline after HEARTBEAT_OFFLINE_AFTER_S without one' }) connectivity!: Connectivity;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the service last received a heartbeat from the device (server time)',
  })
  lastSeenAt!: Date | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) batteryPercent!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) ipAddress!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) decommissionedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ description: 'When the inventory record last changed (an edit, an import, new firmware); heartbeats move lastSeenAt, not this' })
  updatedAt!: Date;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'The linked patient; present only for admin and biomed (null: no patient)' })
  patientRef?: string | null;
}

export class DevicePageDto {
  @ApiProperty({ type: [DeviceResponseDto] }) items!: DeviceResponseDto[];
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

export function toDeviceResponse({ device: d, patientRef }: DeviceView): DeviceResponseDto {
  const response: DeviceResponseDto = {
    id: d.id,
    modelId: d.modelId,
    serialNumber: d.serialNumber,
    assetTag: d.assetTag,
    udi: d.udi,
    udiDi: d.udiDi,
    lotNumber: d.lotNumber,
    expirationDate: d.expirationDate,
    manufactureDate: d.manufactureDate,
    firmwareVersion: d.firmwareVersion,
    location: d.location,
    department: d.department,
    status: d.status,
    systemExposure: d.systemExposure,
    missionImpact: d.missionImpact,
    safetyImpact: d.safetyImpact,
    connectivity: d.connectivity,
    lastSeenAt: d.lastSeenAt,
    batteryPercent: d.batteryPercent,
    ipAddress: d.ipAddress,
    decommissionedAt: d.decommissionedAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
  // Absent, not null, for those who may not see it: null would claim there is no patient.
  if (patientRef !== undefined) response.patientRef = patientRef;
  return response;
}
