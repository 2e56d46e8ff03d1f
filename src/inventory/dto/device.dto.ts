import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { FIRMWARE_VERSION_PATTERN } from '../firmware-pattern';
import { CONNECTIVITY, Connectivity, DEVICE_STATUSES, DeviceEntity, DeviceStatus } from '../entities/device.entity';


export class CreateDeviceDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId!: string;

  @ApiProperty({ example: 'SN-0042-7781', maxLength: 100 })
  @IsString() @IsNotEmpty() @MaxLength(100)
  serialNumber!: string;

  @ApiPropertyOptional({ example: 'BME-10442', maxLength: 100 })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100)
  assetTag?: string;

  @ApiPropertyOptional({ example: '(01)00844588003288(17)141120(10)7654321D(21)SN-0042-7781', description: 'GS1, HIBCC or ICCBBA UDI; parsed and checked' })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(300)
  udi?: string;

  @ApiPropertyOptional({ example: '2.4.1', maxLength: 100 })
  @IsOptional() @IsString() @Matches(FIRMWARE_VERSION_PATTERN, { message: 'must be 1-100 printable characters without leading or trailing spaces' })
  firmwareVersion?: string;

  @ApiPropertyOptional({ example: 'Building A / ICU / Bed 12', maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({ example: 'Intensive Care', maxLength: 200 })
  @IsOptional() @IsString() @MaxLength(200)
  department?: string;
}

export class UpdateDeviceDto extends PartialType(OmitType(CreateDeviceDto, ['modelId'] as const)) {
  @ApiPropertyOptional({ enum: ['active', 'maintenance'], description: 'Use DELETE to decommission' })
  @IsOptional() @IsIn(['active', 'maintenance'])
  status?: 'active' | 'maintenance';
}

export class DeviceResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiPropertyOptional({ nullable: true }) assetTag!: string | null;
  @ApiPropertyOptional({ nullable: true }) udi!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'Device identifier parsed from the UDI' }) udiDi!: string | null;
  @ApiPropertyOptional({ nullable: true }) lotNumber!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) expirationDate!: string | null;
  @ApiPropertyOptional({ nullable: true, format: 'date' }) manufactureDate!: string | null;
  @ApiPropertyOptional({ nullable: true }) firmwareVersion!: string | null;
  @ApiPropertyOptional({ nullable: true }) location!: string | null;
  @ApiPropertyOptional({ nullable: true }) department!: string | null;
  @ApiProperty({ enum: DEVICE_STATUSES }) status!: DeviceStatus;
  @ApiProperty({ enum: CONNECTIVITY }) connectivity!: Connectivity;
  @ApiPropertyOptional({ nullable: true }) lastSeenAt!: Date | null;
  @ApiPropertyOptional({ nullable: true }) batteryPercent!: number | null;
  @ApiPropertyOptional({ nullable: true }) ipAddress!: string | null;
  @ApiPropertyOptional({ nullable: true }) decommissionedAt!: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class DevicePageDto {
  @ApiProperty({ type: [DeviceResponseDto] }) items!: DeviceResponseDto[];
  @ApiPropertyOptional({ nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) nextCursor!: string | null;
}

export function toDeviceResponse(d: DeviceEntity): DeviceResponseDto {
  return {
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
    connectivity: d.connectivity,
    lastSeenAt: d.lastSeenAt,
    batteryPercent: d.batteryPercent,
    ipAddress: d.ipAddress,
    decommissionedAt: d.decommissionedAt,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
  };
}
