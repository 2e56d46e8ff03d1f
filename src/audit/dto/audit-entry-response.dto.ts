import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditEntryEntity } from '../audit-entry.entity';

export class AuditEntryResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: Date;
  @ApiProperty({ example: 'api-key' }) actorKind!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) actorId!: string | null;
  @ApiProperty() actorName!: string;
  @ApiProperty({ example: 'update' }) action!: string;
  @ApiProperty({ example: 'device' }) entityType!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) entityId!: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, description: 'What changed: {field: {from, to}} or the created values' })
  changes!: Record<string, unknown> | null;
  @ApiProperty({ description: 'Hash of the entry before this one (64 zeros for the first)' }) prevHash!: string;
  @ApiProperty({ description: 'SHA-256 of this entry, chained to the previous one (see GET /audit/verify)' }) hash!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryResponseDto] }) items!: AuditEntryResponseDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
}

export function toAuditEntryResponse(e: AuditEntryEntity): AuditEntryResponseDto {
  return {
    id: e.id,
    at: e.at,
    actorKind: e.actorKind,
    actorId: e.actorId,
    actorName: e.actorName,
    action: e.action,
    entityType: e.entityType,
    entityId: e.entityId,
    changes: e.changes,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
