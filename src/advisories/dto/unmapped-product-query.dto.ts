import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { IsIdCursor, QueryInt } from '../../common/validators/query-number.validators';
import { UNMAPPED_REASONS, UnmappedReason } from '../csaf-product-mapper';
import { UnmappedProductListItemDto } from './advisory-response.dto';

export class UnmappedProductQueryDto {
  @ApiPropertyOptional({ example: 'Baxter', description: 'Vendor contains this text (any case)' }) @IsOptional() @IsString() @MaxLength(300) vendor?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() advisoryId?: string;
  @ApiPropertyOptional({ enum: [...UNMAPPED_REASONS] }) @IsOptional() @IsIn([...UNMAPPED_REASONS]) reason?: UnmappedReason;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsIdCursor() cursor?: string;
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 }) @IsOptional() @QueryInt(1, 500) limit?: number;
}

export class UnmappedProductPageDto {
  @ApiProperty({ type: [UnmappedProductListItemDto] }) items!: UnmappedProductListItemDto[];
  @ApiProperty({ description: 'Open entries matching the filters, on every page' }) total!: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last' }) nextCursor!: string | null;
}
