import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, Role } from '../role';
import { ApiKeyEntity } from '../api-key.entity';

export class ApiKeyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'CMMS integration' }) name!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) manufacturerId!: string | null;
  @ApiProperty({ example: 'iomt_Ab3dE', description: 'First characters of the secret, to recognise it' }) keyPrefix!: string;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: Date | null;
}

export class CreatedApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The secret. Shown only in this response: store it now.', example: 'iomt_3q2...' })
  key!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }) manufacturerId!: string | null;
}

export function toApiKeyResponse(e: ApiKeyEntity): ApiKeyResponseDto {
  return {
    id: e.id,
    name: e.name,
    role: e.role,
    manufacturerId: e.manufacturerId,
    keyPrefix: e.keyPrefix,
    createdAt: e.createdAt,
    revokedAt: e.revokedAt,
    lastUsedAt: e.lastUsedAt,
  };
}
