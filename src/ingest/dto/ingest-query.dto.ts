import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REJECTION_REASONS } from '../heartbeat-message';
import { QueryInt, IsIdCursor } from '../../common/validators/query-number.validators';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';

export const SIGHTING_REASONS = ['not_registered', 'serial_mismatch'] as const;

export class RejectionQueryDto {
  @ApiPropertyOptional({ enum: REJECTION_REASONS }) @IsOptional() @IsIn(REJECTION_REASONS as unknown as string[]) reason?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsIdCursor() cursor?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @QueryInt(1, 1000) limit?: number;
}

export class UnknownDeviceQueryDto {
  @ApiPropertyOptional({ enum: SIGHTING_REASONS }) @IsOptional() @IsIn(SIGHTING_REASONS as unknown as string[]) reason?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsIsoInstant() seenAfter?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @QueryInt(1, 1000) limit?: number;
}
