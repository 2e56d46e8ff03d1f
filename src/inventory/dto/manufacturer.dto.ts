import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsAliasList } from '../../common/validators/alias-list.validators';
import { ManufacturerEntity } from '../entities/manufacturer.entity';

export class CreateManufacturerDto {
  @ApiProperty({ example: 'Baxter', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ example: ['Baxter Healthcare Corporation'], description: 'Other names advisories use for this manufacturer' })
  @IsAliasList()
  aliases?: string[];
}

export class UpdateManufacturerDto extends PartialType(CreateManufacturerDto) {}

export class ManufacturerResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Baxter' }) name!: string;
  @ApiProperty({ type: [String], example: ['Baxter Healthcare Corporation'] }) aliases!: string[];
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export function toManufacturerResponse(m: ManufacturerEntity): ManufacturerResponseDto {
  return { id: m.id, name: m.name, aliases: m.aliases, createdAt: m.createdAt, updatedAt: m.updatedAt };
}
