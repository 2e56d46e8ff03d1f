import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import {
  ProductMappingListDto,
  ProductMappingQueryDto,
  ProductMappingResponseDto,
  PutProductMappingDto,
  toProductMappingResponse,
} from './dto/product-mapping.dto';
import { ProductMappingsService } from './product-mappings.service';

@ApiTags('advisories')
@ApiBearerAuth()
@Controller('product-mappings')
export class ProductMappingsController {
  constructor(private readonly mappings: ProductMappingsService) {}

  @Put()
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({
    summary:
      'Map an advisory product to a device model: remembered, applied before the answer to every stored advisory naming it (findings follow, its entries leave /advisories/unmapped-products) and to later imports; a second PUT for the same product replaces the model',
  })
  @ApiOkResponse({ type: ProductMappingResponseDto })
  async put(@CurrentPrincipal() actor: Principal, @Body() dto: PutProductMappingDto): Promise<ProductMappingResponseDto> {
    return toProductMappingResponse(await this.mappings.put(actor, dto));
  }

  @Get()
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({ summary: 'The product mappings people made, newest first' })
  @ApiOkResponse({ type: ProductMappingListDto })
  async list(@Query() query: ProductMappingQueryDto): Promise<ProductMappingListDto> {
    const page = await this.mappings.list(query);
    return { items: page.items.map(toProductMappingResponse), total: page.total };
  }
}
