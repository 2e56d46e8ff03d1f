import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsAliasList } from '../../common/validators/alias-list.validators';
import { DEVICE_CATEGORIES, DeviceCategory, DeviceModelEntity } from '../entities/device-model.entity';
import { SafetyImpactField } from '../../prioritisation/dto/impact-fields.decorators';
import { SAFETY_IMPACT, SafetyImpact } from '../../prioritisation/ssvc-decision-points';
import { MAX_OFFSET, QueryInt } from '../../common/validators/query-number.validators';

export class CreateDeviceModelDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  manufacturerId!: string;

  @ApiProperty({ example: '35700BAX3', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  modelNumber!: string;

  @ApiProperty({ example: 'Sigma Spectrum Infusion System', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ enum: DEVICE_CATEGORIES, example: 'facility' })
  @IsIn(DEVICE_CATEGORIES as unknown as string[])
  category!: DeviceCategory;

  @ApiPropertyOptional({ example: '00844588003288', description: 'GS1 GTIN-14: the UDI device identifier' })
  @IsOptional()
  @Matches(/^\d{14}$/, { message: 'must be 14 digits (a GTIN-14)' })
  gtin?: string;

  @ApiPropertyOptional({ example: ['Sigma Spectrum'], description: 'Other names advisories use for this model' })
  @IsAliasList()
  aliases?: string[];

  @SafetyImpactField('model')
  safetyImpact?: SafetyImpact | null;
}

export class UpdateDeviceModelDto extends PartialType(OmitType(CreateDeviceModelDto, ['manufacturerId'] as const)) {}

export class DeviceModelQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() manufacturerId?: string;
  @ApiPropertyOptional({ enum: DEVICE_CATEGORIES }) @IsOptional() @IsIn(DEVICE_CATEGORIES as unknown as string[]) category?: DeviceCategory;
  @ApiPropertyOptional({ description: 'Case-insensitive substring of name or model number' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 }) @IsOptional() @QueryInt(1, 500) limit?: number;
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET }) @IsOptional() @QueryInt(0, MAX_OFFSET) offset?: number;
}

export class DeviceModelResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) manufacturerId!: string;
  @ApiProperty() modelNumber!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: DEVICE_CATEGORIES }) category!: DeviceCategory;
  @ApiPropertyOptional({ type: String, nullable: true }) gtin!: string | null;
  @ApiProperty({ type: [String], example: ['Sigma Spectrum'] }) aliases!: string[];
  @ApiPropertyOptional({
    enum: SAFETY_IMPACT,
    nullable: true,
    description: "SSVC Safety Impact of the model's devices unless a device overrides it; null: not set (assumed catastrophic)",
  })
  safetyImpact!: SafetyImpact | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export function toDeviceModelResponse(m: DeviceModelEntity): DeviceModelResponseDto {
  return {
    id: m.id,
    manufacturerId: m.manufacturerId,
    modelNumber: m.modelNumber,
    name: m.name,
    category: m.category,
    gtin: m.gtin,
    aliases: m.aliases,
    safetyImpact: m.safetyImpact,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}
