import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'device' }) @IsOptional() @IsString() @MaxLength(50) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @ApiPropertyOptional({ description: 'API key or user id that acted' }) @IsOptional() @IsString() @MaxLength(100) actorId?: string;
  @ApiPropertyOptional({ example: 'update' }) @IsOptional() @IsString() @MaxLength(50) action?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString() since?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsDateString() until?: string;
  // At most 18 digits: a longer number would overflow bigint in the query (a 500, not a 400).
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @Matches(/^[0-9]{1,18}$/, { message: 'must be a nextCursor from this listing' }) cursor?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}
