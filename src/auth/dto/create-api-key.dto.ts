import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { Role, ROLES } from '../role';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CMMS integration', maxLength: 100 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ROLES, example: 'biomed' })
  @IsIn(ROLES as unknown as string[])
  role!: Role;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for, and only for, the manufacturer role.' })
  @ValidateIf((o: CreateApiKeyDto) => o.role === 'manufacturer' || o.manufacturerId !== undefined)
  @IsUUID()
  @IsOptional()
  manufacturerId?: string;
}
