import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryInt, IsIdCursor } from '../../common/validators/query-number.validators';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';

export class AuditQueryDto {
  @ApiPropertyOptional({ example: 'device' }) @IsOptional() @IsString() @MaxLength(50) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) entityId?: string;
  @ApiPropertyOptional({ description: 'API key or user id that acted' }) @IsOptional() @IsString() @MaxLength(100) actorId?: string;
  @ApiPropertyOptional({ example: 'update' }) @IsOptional() @IsString() @MaxLength(50) action?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsIsoInstant() since?: string;
  @ApiPropertyOptional({ format: 'date-time' }) @IsOptional() @IsIsoInstant() until?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsIdCursor() cursor?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 }) @IsOptional() @QueryInt(1, 500) limit?: number;
}
