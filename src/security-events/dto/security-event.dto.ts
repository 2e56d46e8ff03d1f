import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { QueryInt } from '../../common/validators/query-number.validators';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';
import { SECURITY_EVENT_SEVERITIES, SECURITY_EVENT_TYPES, SecurityEventSeverity, SecurityEventType } from '../security-event-types';
import { SecurityEventRow } from '../security-events.repository';

const queryBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class SecurityEventQueryDto {
  @ApiPropertyOptional({ enum: SECURITY_EVENT_TYPES }) @IsOptional() @IsIn(SECURITY_EVENT_TYPES as unknown as string[]) type?: SecurityEventType;
  @ApiPropertyOptional({ format: 'uuid', description: 'Events about this device' }) @IsOptional() @IsUUID() deviceId?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'Events detected at or after this instant' }) @IsOptional() @IsIsoInstant() since?: string;
  @ApiPropertyOptional({ type: Boolean, description: 'true: only events nobody acknowledged yet' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'unacknowledged must be true or false' })
  unacknowledged?: boolean;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 }) @IsOptional() @QueryInt(1, 500) limit?: number;
}

export class SecurityEventDto {
  @ApiProperty({ example: '42', description: 'Ordered: a later event has a larger id (a decimal string: ids outgrow JavaScript numbers)' }) id!: string;
  @ApiProperty({ enum: SECURITY_EVENT_TYPES, example: 'firmware_downgrade' }) type!: SecurityEventType;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The registered device it is about; null for an id the inventory does not hold' })
  deviceId!: string | null;
  @ApiProperty({ enum: SECURITY_EVENT_SEVERITIES, example: 'high' }) severity!: SecurityEventSeverity;
  @ApiProperty({ format: 'date-time' }) detectedAt!: Date;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { fromVersion: '2.4.1', toVersion: '2.3.0' },
    description: 'Per type: docs/security-events.md',
  })
  details!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, description: 'Name of the person or key that acknowledged it' }) acknowledgedBy!: string | null;
  @ApiProperty({ nullable: true, type: Date, format: 'date-time' }) acknowledgedAt!: Date | null;
}

export class SecurityEventPageDto {
  @ApiProperty({ type: [SecurityEventDto] }) items!: SecurityEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next (older) page; null on the last page' }) nextCursor!: string | null;
}

export function toSecurityEvent(r: SecurityEventRow): SecurityEventDto {
  return {
    id: r.id,
    type: r.type,
    deviceId: r.device_id,
    severity: r.severity,
    detectedAt: r.detected_at,
    details: r.details,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: r.acknowledged_at,
  };
}
