import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FIRMWARE_CHANGE_SOURCES, FirmwareChangeSource, FirmwareHistoryEntity } from '../entities/firmware-history.entity';

export class FirmwareChangeDto {
  @ApiPropertyOptional({ type: String, nullable: true }) fromVersion!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) toVersion!: string | null;
  @ApiProperty({ enum: FIRMWARE_CHANGE_SOURCES }) source!: FirmwareChangeSource;
  @ApiProperty() changedAt!: Date;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'API key or user that made the change; null for heartbeats' }) actorId!: string | null;
}

export function toFirmwareChange(h: FirmwareHistoryEntity): FirmwareChangeDto {
  return { fromVersion: h.fromVersion, toVersion: h.toVersion, source: h.source, changedAt: h.changedAt, actorId: h.actorId };
}
