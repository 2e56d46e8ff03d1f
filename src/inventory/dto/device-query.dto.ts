import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DEVICE_CATEGORIES, DeviceCategory } from '../entities/device-model.entity';
import { CONNECTIVITY, Connectivity, DEVICE_STATUSES, DeviceStatus } from '../entities/device.entity';
import { QueryInt } from '../../common/validators/query-number.validators';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';

export const DEVICE_SORTS = ['createdAt', 'lastSeenAt', 'serialNumber'] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

export class DeviceQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() manufacturerId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() modelId?: string;
  @ApiPropertyOptional({ enum: DEVICE_CATEGORIES }) @IsOptional() @IsIn(DEVICE_CATEGORIES as unknown as string[]) category?: DeviceCategory;
  @ApiPropertyOptional({ enum: DEVICE_STATUSES, description: 'Default: every status but decommissioned' })
  @IsOptional()
  @IsIn(DEVICE_STATUSES as unknown as string[])
  status?: DeviceStatus;
  @ApiPropertyOptional({ description: 'Exact location' }) @IsOptional() @IsString() @MaxLength(200) location?: string;
  @ApiPropertyOptional({ description: 'Exact department' }) @IsOptional() @IsString() @MaxLength(200) department?: string;
  @ApiPropertyOptional({ description: 'Exact firmware version' }) @IsOptional() @IsString() @MaxLength(100) firmwareVersion?: string;
  @ApiPropertyOptional({ enum: CONNECTIVITY }) @IsOptional() @IsIn(CONNECTIVITY as unknown as string[]) connectivity?: Connectivity;
  @ApiPropertyOptional({ format: 'date-time', description: 'Last seen before this instant' }) @IsOptional() @IsIsoInstant() seenBefore?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Last seen at or after this instant' }) @IsOptional() @IsIsoInstant() seenAfter?: string;
  @ApiPropertyOptional({ description: 'Case-insensitive prefix of the serial number or asset tag' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: DEVICE_SORTS, default: 'createdAt' }) @IsOptional() @IsIn(DEVICE_SORTS as unknown as string[]) sort?: DeviceSort;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({ default: 50, maximum: 500 }) @IsOptional() @QueryInt(1, 500) limit?: number;
}
