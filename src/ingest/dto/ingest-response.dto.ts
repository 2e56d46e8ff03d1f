import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REJECTION_REASONS } from '../heartbeat-message';
import { RejectionRow, UnknownDeviceRow } from '../ingest-records.repository';
import { SIGHTING_REASONS } from './ingest-query.dto';

export class RejectionDto {
  @ApiProperty() id!: string;
  @ApiProperty() receivedAt!: Date;
  @ApiProperty({ example: 'iomt/v1/devices/0b6c.../heartbeat' }) topic!: string;
  @ApiProperty({ enum: REJECTION_REASONS }) reason!: string;
  @ApiProperty({ example: 'firmwareVersion: is required and must be a string' }) detail!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'First KiB of the payload as received' }) payload!: string | null;
}

export class RejectionPageDto {
  @ApiProperty({ type: [RejectionDto] }) items!: RejectionDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({ description: 'Only the newest rejections are kept; /metrics counts them all' }) retained!: number;
}

export class UnknownDeviceDto {
  @ApiProperty({ description: 'The device id the heartbeat claimed (its topic)' }) claimedDeviceId!: string;
  @ApiProperty({ enum: SIGHTING_REASONS }) reason!: string;
  @ApiProperty() firstSeenAt!: Date;
  @ApiProperty() lastSeenAt!: Date;
  @ApiProperty() heartbeatCount!: number;
  @ApiPropertyOptional({ type: String, nullable: true }) claimedFirmware!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) claimedSerial!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) ipAddress!: string | null;
}

export function toRejection(r: RejectionRow): RejectionDto {
  return { id: r.id, receivedAt: r.received_at, topic: r.topic, reason: r.reason, detail: r.detail, payload: r.payload };
}

export function toUnknownDevice(r: UnknownDeviceRow): UnknownDeviceDto {
  return {
    claimedDeviceId: r.claimed_device_id,
    reason: r.reason,
    firstSeenAt: r.first_seen_at,
    lastSeenAt: r.last_seen_at,
    heartbeatCount: Number(r.heartbeat_count),
    claimedFirmware: r.claimed_firmware,
    claimedSerial: r.claimed_serial,
    ipAddress: r.ip_address,
  };
}
