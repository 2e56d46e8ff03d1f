import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsIsoDate } from '../../common/validators/iso-date.validators';
import { FIRMWARE_VERSION_PATTERN } from '../../firmware';

export class CreateFirmwareReleaseDto {
  @ApiProperty({ example: '2.4.1' })
  @IsString()
  @Matches(FIRMWARE_VERSION_PATTERN, { message: 'must be 1-100 printable characters' })
  version!: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-10-01' }) @IsOptional() @IsIsoDate() releasedAt?: string;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() securityFix?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) notes?: string;
}

export class FirmwareReleaseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty() version!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) releasedAt!: string | null;
  @ApiProperty() securityFix!: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) notes!: string | null;
  @ApiProperty() createdAt!: Date;
}
