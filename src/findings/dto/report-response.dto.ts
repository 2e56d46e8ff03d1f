import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEVICE_CATEGORIES } from '../../inventory/entities/device-model.entity';
import { CONNECTIVITY } from '../../inventory/entities/device.entity';
import { SEVERITIES } from '../../advisories/severity';
import { PRIORITY_DESCRIPTION, PriorityDto } from '../../prioritisation/dto/priority.dto';
import { DECISIONS } from '../../prioritisation/ssvc-decision-points';
import { FindingAcceptanceDto } from './finding-acceptance.dto';

export class ReportAdvisoryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) trackingId!: string | null;
  @ApiProperty({ type: [String], example: ['CVE-2020-12040'] }) cves!: string[];
  @ApiPropertyOptional({ type: Number, nullable: true }) cvssScore!: number | null;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null: no fix named by the advisory' }) fixedVersion!: string | null;
  @ApiProperty({ description: 'The range the firmware fell in' }) affectedVersions!: string;
  @ApiProperty({ type: String, format: 'date-time' }) detectedAt!: string;
  @ApiPropertyOptional({ type: PriorityDto, nullable: true, description: PRIORITY_DESCRIPTION }) priority!: PriorityDto | null;
  @ApiProperty({ example: '42', description: 'The finding (POST /findings/{id}/acceptance accepts its risk)' }) findingId!: string;
  @ApiPropertyOptional({
    type: FindingAcceptanceDto,
    nullable: true,
    description: 'Its risk acceptance when one hides it now (only listed with ?includeAccepted=true); null otherwise',
  })
  acceptance!: FindingAcceptanceDto | null;
}

export class ReportManufacturerDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Baxter' }) name!: string;
}

export class ReportModelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Sigma Spectrum' }) name!: string;
  @ApiProperty({ example: '35700BAX3' }) modelNumber!: string;
  @ApiProperty({ enum: DEVICE_CATEGORIES }) category!: string;
}

export class OutdatedDeviceDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty() serialNumber!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) assetTag!: string | null;
  @ApiProperty({ type: ReportManufacturerDto }) manufacturer!: ReportManufacturerDto;
  @ApiProperty({ type: ReportModelDto }) model!: ReportModelDto;
  @ApiPropertyOptional({ type: String, nullable: true }) location!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) department!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) firmwareVersion!: string | null;
  @ApiProperty({ enum: CONNECTIVITY, description: 'From heartbeats: is the exposed device on the network at all' }) connectivity!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time', description: 'Its last heartbeat; null: never seen' }) lastSeenAt!: Date | null;
  @ApiPropertyOptional({
    enum: DECISIONS,
    nullable: true,
    description:
      "The device's priority: the highest SSVC decision among its open findings no risk acceptance hides (the report's first sort key); null: none decided",
  })
  decision!: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'The earliest due date among those findings; null: none due' })
  dueAt!: Date | null;
  @ApiProperty({ description: 'One of those findings has a CVE in CISA KEV' }) inKev!: boolean;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The highest EPSS score among those findings (the second sort key); null: none' })
  highestEpss!: number | null;
  @ApiProperty({ type: [ReportAdvisoryDto], description: 'Its open findings, highest decision first' }) advisories!: ReportAdvisoryDto[];
  @ApiPropertyOptional({ type: Number, nullable: true }) highestCvss!: number | null;
  @ApiProperty({ enum: SEVERITIES }) highestSeverity!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The version that fixes every open advisory (the highest fix); null when one of them names no fix: no version is known to be safe',
  })
  minimumSafeVersion!: string | null;
  @ApiProperty({ enum: ['update', 'no_fix', 'fix_unknown'] }) action!: string;
  @ApiProperty({ example: 'update to 2.4.1 or later' }) actionText!: string;
  @ApiProperty({ description: 'Days since its oldest open finding was detected' }) daysExposed!: number;
}

export class OutdatedReportDto {
  @ApiProperty({ type: [OutdatedDeviceDto] }) items!: OutdatedDeviceDto[];
  @ApiPropertyOptional({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty() generatedAt!: Date;
}
