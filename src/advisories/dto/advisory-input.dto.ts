import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { FIRMWARE_VERSION_PATTERN } from '../../firmware';
import { SEVERITIES, Severity } from '../severity';
import { IsDecimal } from '../../common/validators/decimal.validators';
import { MAX_OFFSET, QueryInt } from '../../common/validators/query-number.validators';
import { IsIsoInstant } from '../../common/validators/iso-date.validators';

export class AffectedProductDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  modelId!: string;

  @ApiProperty({
    example: '>=1.0.0 <2.4.1',
    description: 'Range: `<2.4.1`, `>=1.0.0 <2.0.0`, `<=3.1 || >=4.0 <4.2`, `vers:generic/>=1.0|<2.3`, `*`, or one exact version',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  versions!: string;

  @ApiPropertyOptional({ example: '2.4.1', description: 'The first version that fixes it; omit when there is no fix' })
  @IsOptional()
  @IsString()
  @Matches(FIRMWARE_VERSION_PATTERN, { message: 'must be 1-100 printable characters' })
  fixedVersion?: string;
}

export class CreateAdvisoryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  manufacturerId!: string;

  @ApiProperty({ example: 'Sigma Spectrum: hard-coded credentials in the WBM module', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title!: string;

  @ApiPropertyOptional({ example: ['CVE-2020-12040'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(/^CVE-\d{4}-\d{4,}$/, { each: true, message: 'each value must look like CVE-2024-12345' })
  cves?: string[];

  @ApiPropertyOptional({ example: 9.8, minimum: 0, maximum: 10 })
  @IsOptional()
  @IsDecimal(1)
  @Min(0)
  @Max(10)
  cvssScore?: number;

  @ApiPropertyOptional({ example: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' })
  @IsOptional()
  @IsString()
  @Matches(/^(CVSS:3\.[01]\/)?AV:[NALP]\/AC:[LH]\//, { message: 'must be a CVSS v3 vector (CVSS:3.1/AV:N/AC:L/...)' })
  @MaxLength(200)
  cvssVector?: string;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Default: from cvssScore' })
  @IsOptional()
  @IsIn(SEVERITIES as unknown as string[])
  severity?: Severity;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsIsoInstant()
  publishedAt?: string;

  @ApiPropertyOptional({ example: 'Update to version 2.4.1 or later.' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  remediation?: string;

  @ApiProperty({ type: [AffectedProductDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => AffectedProductDto)
  affected!: AffectedProductDto[];
}

/**
 * Every field of an advisory but its manufacturer, each optional, with the same rules as on
 * create (`affected`, when given, replaces the whole list).
 */
export class UpdateAdvisoryDto extends PartialType(OmitType(CreateAdvisoryDto, ['manufacturerId'] as const)) {}

export class AdvisoryQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() manufacturerId?: string;
  @ApiPropertyOptional({ enum: ['active', 'withdrawn'] }) @IsOptional() @IsIn(['active', 'withdrawn']) status?: 'active' | 'withdrawn';
  @ApiPropertyOptional({ enum: SEVERITIES }) @IsOptional() @IsIn(SEVERITIES as unknown as string[]) severity?: Severity;
  @ApiPropertyOptional({ example: 'CVE-2020-12040' }) @IsOptional() @IsString() @MaxLength(30) cve?: string;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @QueryInt(1, 500) limit?: number;
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET }) @IsOptional() @QueryInt(0, MAX_OFFSET) offset?: number;
}
