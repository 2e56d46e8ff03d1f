import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { CreateManufacturerDto, ManufacturerResponseDto, toManufacturerResponse, UpdateManufacturerDto } from './dto/manufacturer.dto';
import { ManufacturersService } from './manufacturers.service';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('manufacturers')
export class ManufacturersController {
  constructor(private readonly manufacturers: ManufacturersService) {}

  @Post()
  @Roles('admin', 'biomed')
  @ApiOperation({ summary: 'Register a manufacturer (name unique ignoring case; aliases help match advisories)' })
  @ApiCreatedResponse({ type: ManufacturerResponseDto })
  @ApiDuplicateResponse('A manufacturer already has this name or alias (ignoring case, spacing and punctuation)')
  async create(@CurrentPrincipal() actor: Principal, @Body() dto: CreateManufacturerDto): Promise<ManufacturerResponseDto> {
    return toManufacturerResponse(await this.manufacturers.create(actor, dto));
  }

  @Get()
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'List manufacturers (a manufacturer key sees only its own)' })
  @ApiOkResponse({ type: [ManufacturerResponseDto] })
  async list(@CurrentPrincipal() actor: Principal): Promise<ManufacturerResponseDto[]> {
    return (await this.manufacturers.list(actor)).map(toManufacturerResponse);
  }

  @Get(':id')
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'One manufacturer' })
  @ApiOkResponse({ type: ManufacturerResponseDto })
  async get(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ManufacturerResponseDto> {
    return toManufacturerResponse(await this.manufacturers.get(actor, id));
  }

  @Patch(':id')
  // Names and aliases decide whose products an advisory names: the hospital's mapping, never a vendor's.
  @Roles('admin', 'biomed')
  @ApiOperation({ summary: 'Rename a manufacturer or change its aliases (no two manufacturers share a name or alias ignoring case, spacing and punctuation)' })
  @ApiOkResponse({ type: ManufacturerResponseDto })
  @ApiDuplicateResponse('Another manufacturer already has this name or alias (ignoring case, spacing and punctuation)')
  async update(
    @CurrentPrincipal() actor: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateManufacturerDto,
  ): Promise<ManufacturerResponseDto> {
    return toManufacturerResponse(await this.manufacturers.update(actor, id, dto));
  }
}
