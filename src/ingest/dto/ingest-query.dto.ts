import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsNumberString, IsOptional, Max, Min } from 'class-validator';
import { REJECTION_REASONS } from '../heartbeat-message';

export const SIGHTING_REASONS = ['not_registered', 'serial_mismatch'] as const;

export class RejectionQueryDto {
  @ApiPropertyOptional({ enum: REJECTION_REASONS }) @IsOptional() @IsIn(REJECTION_REASONS as unknown as string[]) reason?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsNumberString() cursor?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

export class UnknownDeviceQueryDto {
  @ApiPropertyOptional({ enum: SIGHTING_REASONS }) @IsOptional() @IsIn(SIGHTING_REASONS as unknown as string[]) reason?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString() seenAfter?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
