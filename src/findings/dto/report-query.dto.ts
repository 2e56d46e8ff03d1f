import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { CONNECTIVITY, Connectivity } from '../../inventory/entities/device.entity';
import { REPORT_SORTS, ReportSort } from '../report-order';
import { DEVICE_CATEGORIES, DeviceCategory } from '../../inventory/entities/device-model.entity';
import { SEVERITIES, Severity } from '../../advisories/severity';
import { DECISIONS, Decision } from '../../prioritisation/ssvc-decision-points';
import { MAX_OFFSET, QueryInt, IsIdCursor } from '../../common/validators/query-number.validators';

/** under_investigation: the advisory's document says the manufacturer is still investigating the device's model (VEX). */
export const EXPOSURE_UNKNOWN_REASONS = ['no_firmware', 'not_comparable', 'under_investigation'];

// `?x=a,b` and `?x=a&x=b` alike.
const list = ({ value }: { value: unknown }) =>
  typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    ? ([] as string[])
        .concat(value)
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class OutdatedReportQueryDto {
  @ApiPropertyOptional({ description: "Comma-separated: the highest severity among the device's open findings", example: 'critical,high' })
  @IsOptional()
  @Transform(list)
  @IsIn(SEVERITIES as unknown as string[], { each: true })
  severity?: Severity[];

  @ApiPropertyOptional({
    description: "Comma-separated or repeated: the device's SSVC decision (the highest among its open findings no acceptance hides)",
    example: 'immediate,out_of_cycle',
  })
  @IsOptional()
  @Transform(list)
  @IsIn(DECISIONS as unknown as string[], { each: true, message: `each value must be one of ${DECISIONS.join(', ')}` })
  decision?: Decision[];

  @ApiPropertyOptional({ type: Boolean, description: 'true: only devices with an open finding whose CVE is in CISA KEV; false: only the others' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'must be true or false' })
  inKev?: boolean;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() manufacturerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) department?: string;
  @ApiPropertyOptional({ enum: DEVICE_CATEGORIES }) @IsOptional() @IsIn(DEVICE_CATEGORIES as unknown as string[]) category?: DeviceCategory;
  @ApiPropertyOptional({ format: 'uuid', description: "The device's model" }) @IsOptional() @IsUUID() modelId?: string;
  @ApiPropertyOptional({ enum: CONNECTIVITY, description: 'From heartbeats: online, offline or never_seen' })
  @IsOptional()
  @IsIn(CONNECTIVITY as unknown as string[], { message: `connectivity must be one of ${CONNECTIVITY.join(', ')}` })
  connectivity?: Connectivity;
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: 'SN-00',
    description: "Case-insensitive prefix of the device's serial number, asset tag or location, or of its model's name or model number",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
  @ApiPropertyOptional({
    enum: REPORT_SORTS,
    default: 'priority',
    description:
      'priority: highest SSVC decision, then EPSS, then CVSS first; dueAt: soonest due first, nothing due last; lastSeen: most recently heard first, never seen last. A cursor belongs to its order.',
  })
  @IsOptional()
  @IsIn(REPORT_SORTS as unknown as string[], { message: `sort must be one of ${REPORT_SORTS.join(', ')}` })
  sort?: ReportSort;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'Also the findings whose risk is accepted now (each carries its acceptance), and devices whose every finding is accepted',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeAccepted?: boolean;
  @ApiPropertyOptional({ default: 100, maximum: 1000, description: 'CSV: every row up to 100,000 unless limit is given' })
  @IsOptional()
  @QueryInt(1, 100000)
  limit?: number;
}

export class ExposureHistoryQueryDto {
  @ApiPropertyOptional({ default: 90, minimum: 1, maximum: 365, description: 'Days back from today (UTC), today included' })
  @IsOptional()
  @QueryInt(1, 365)
  days?: number;
}

export class ExposureUnknownQueryDto {
  @ApiPropertyOptional({ enum: EXPOSURE_UNKNOWN_REASONS }) @IsOptional() @IsIn(EXPOSURE_UNKNOWN_REASONS) reason?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() manufacturerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) department?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @QueryInt(1, 1000) limit?: number;
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET }) @IsOptional() @QueryInt(0, MAX_OFFSET) offset?: number;
}

export class FindingsQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] }) @IsOptional() @IsIn(['open', 'resolved']) status?: 'open' | 'resolved';
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() advisoryId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() deviceId?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsIdCursor() cursor?: string;
  @ApiPropertyOptional({ default: 100, maximum: 1000 }) @IsOptional() @QueryInt(1, 1000) limit?: number;
}
