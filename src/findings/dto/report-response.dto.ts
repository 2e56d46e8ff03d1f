import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONNECTIVITY } from '../../inventory/entities/device.entity';
import { SEVERITIES } from '../../advisories/severity';

export class ReportAdvisoryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ nullable: true }) trackingId!: string | null;
  @ApiProperty() cves!: string[];
  @ApiPropertyOptional({ nullable: true }) cvssScore!: number | null;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiPropertyOptional({ nullable: true, description: 'null: no fix named by the advisory' }) fixedVersion!: string | null;
  @ApiProperty({ description: 'The range the firmware fell in' }) affectedVersions!: string;
  @ApiProperty() detectedAt!: Date;
}

export class OutdatedDeviceDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiPropertyOptional({ nullable: true }) assetTag!: string | null;
  @ApiProperty() manufacturer!: { id: string; name: string };
  @ApiProperty() model!: { id: string; name: string; modelNumber: string; category: string };
  @ApiPropertyOptional({ nullable: true }) location!: string | null;
  @ApiPropertyOptional({ nullable: true }) department!: string | null;
  @ApiPropertyOptional({ nullable: true }) firmwareVersion!: string | null;
  @ApiProperty({ enum: CONNECTIVITY, description: 'From heartbeats: is the exposed device on the network at all' }) connectivity!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time', description: 'Its last heartbeat; null: never seen' }) lastSeenAt!: Date | null;
  @ApiProperty({ type: [ReportAdvisoryDto] }) advisories!: ReportAdvisoryDto[];
  @ApiPropertyOptional({ nullable: true }) highestCvss!: number | null;
  @ApiProperty({ enum: SEVERITIES }) highestSeverity!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The version that fixes every open advisory (the highest fix); null when one of them names no fix: no version is known to be safe' }) minimumSafeVersion!: string | null;
  @ApiProperty({ enum: ['update', 'no_fix', 'fix_unknown'] }) action!: string;
  @ApiProperty({ example: 'update to 2.4.1 or later' }) actionText!: string;
  @ApiProperty({ description: 'Days since its oldest open finding was detected' }) daysExposed!: number;
}

export class OutdatedReportDto {
  @ApiProperty({ type: [OutdatedDeviceDto] }) items!: OutdatedDeviceDto[];
  @ApiPropertyOptional({ nullable: true }) nextCursor!: string | null;
  @ApiProperty() generatedAt!: Date;
}
