import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { MAX_OFFSET, QueryInt } from '../../common/validators/query-number.validators';
import { ProductMappingRecord } from '../product-mappings.repository';

export class PutProductMappingDto {
  @ApiProperty({ example: 'Baxter', description: "The product's vendor as the advisory names it (case, spacing and punctuation ignored)" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  vendor!: string;

  @ApiProperty({
    example: 'Sigma Spectrum LVP',
    description: 'The product name as listed at /advisories/unmapped-products (case, spacing and punctuation ignored)',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  productName!: string;

  @ApiProperty({ format: 'uuid', description: "The device model it is: one of the vendor's manufacturer's models" })
  @IsUUID()
  modelId!: string;
}

export class ProductMappingQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 }) @IsOptional() @QueryInt(1, 500) limit?: number;
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_OFFSET }) @IsOptional() @QueryInt(0, MAX_OFFSET) offset?: number;
}

export class ProductMappingResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Baxter' }) vendor!: string;
  @ApiProperty({ example: 'Sigma Spectrum LVP' }) productName!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ format: 'uuid', description: "The model's manufacturer" }) manufacturerId!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class ProductMappingListDto {
  @ApiProperty({ type: [ProductMappingResponseDto] }) items!: ProductMappingResponseDto[];
  @ApiProperty({ description: 'Mappings in all' }) total!: number;
}

export function toProductMappingResponse(r: ProductMappingRecord): ProductMappingResponseDto {
  return {
    id: r.id,
    vendor: r.vendor,
    productName: r.productName,
    modelId: r.modelId,
    manufacturerId: r.manufacturerId,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
