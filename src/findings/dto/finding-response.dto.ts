import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRIORITY_DESCRIPTION, PriorityDto } from '../../prioritisation/dto/priority.dto';
import { priorityOf } from '../../prioritisation/stored-priority';
import { FindingRow } from '../reports.repository';

export class FindingDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid' }) advisoryId!: string;
  @ApiProperty() advisoryTitle!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) trackingId!: string | null;
  @ApiProperty() severity!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) cvssScore!: number | null;
  @ApiProperty({ enum: ['open', 'resolved'] }) status!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) firmwareAtDetection!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) fixedVersion!: string | null;
  @ApiProperty() affectedVersions!: string;
  @ApiProperty() detectedAt!: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) resolvedAt!: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true, enum: ['firmware_changed', 'advisory_withdrawn', 'advisory_revised', 'device_decommissioned'] })
  resolution!: string | null;
  @ApiPropertyOptional({ type: PriorityDto, nullable: true, description: `${PRIORITY_DESCRIPTION} null on a resolved finding.` })
  priority!: PriorityDto | null;
}

export class FindingPageDto {
  @ApiProperty({ type: [FindingDto] }) items!: FindingDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
}

export function toFinding(r: FindingRow): FindingDto {
  return {
    id: r.id,
    deviceId: r.device_id,
    advisoryId: r.advisory_id,
    advisoryTitle: r.title,
    trackingId: r.tracking_id,
    severity: r.severity,
    cvssScore: r.cvss_score === null ? null : Number(r.cvss_score),
    status: r.status,
    firmwareAtDetection: r.firmware_at_detection,
    fixedVersion: r.fixed_version,
    affectedVersions: r.affected_versions,
    detectedAt: r.detected_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
    priority: r.status === 'open' ? priorityOf(r, r) : null,
  };
}
