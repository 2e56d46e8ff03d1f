import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnsupportedMediaTypeResponse } from '@nestjs/swagger';
import { Response } from 'express';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { JsonBodyGuard } from '../common/json-body.guard';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { AdvisoriesService } from './advisories.service';
import { CsafImportService } from './csaf-import.service';
import { AdvisoryQueryDto, CreateAdvisoryDto, UpdateAdvisoryDto } from './dto/advisory-input.dto';
import {
  AdvisoryDetailsDto,
  AdvisoryResponseDto,
  AdvisoryRevisionDto,
  CsafImportResultDto,
  toAdvisoryDetails,
  toAdvisoryResponse,
} from './dto/advisory-response.dto';
import { UnmappedProductPageDto, UnmappedProductQueryDto } from './dto/unmapped-product-query.dto';

@ApiTags('advisories')
@ApiBearerAuth()
@Controller('advisories')
export class AdvisoriesController {
  constructor(
    private readonly advisories: AdvisoriesService,
    private readonly importer: CsafImportService,
  ) {}

  @Post()
  @Roles('admin', 'manufacturer')
  @ApiOperation({ summary: 'Publish an advisory (a manufacturer key: only for itself); findings are computed before the response' })
  @ApiCreatedResponse({ type: AdvisoryResponseDto })
  async create(@CurrentPrincipal() actor: Principal, @Body() dto: CreateAdvisoryDto): Promise<AdvisoryResponseDto> {
    return toAdvisoryResponse(await this.advisories.create(actor, dto));
  }

  @Post('csaf')
  @Roles('admin', 'it', 'manufacturer')
  @ApiOperation({ summary: 'Import a CSAF 2.0 document (validated against the schema and mandatory tests); re-importing a newer revision updates it' })
  @ApiBody({
    description: 'A CSAF 2.0 document',
    schema: { type: 'object', required: ['document'], additionalProperties: true, properties: { document: { type: 'object', additionalProperties: true } } },
  })
  @UseGuards(JsonBodyGuard)
  @ApiCreatedResponse({ type: CsafImportResultDto, description: 'A new advisory (status created)' })
  @ApiOkResponse({ type: CsafImportResultDto, description: 'An existing advisory: revised (updated), or nothing written (unchanged, ignored_older)' })
  @ApiDuplicateResponse('Another request is importing the same advisory at this moment; import it again')
  @ApiUnsupportedMediaTypeResponse({ description: 'Content-Type is not application/json' })
  // The body is untyped on purpose: the CSAF validator checks it, and the DTO pipe leaves it whole.
  async importCsaf(@CurrentPrincipal() actor: Principal, @Body() document: unknown, @Res({ passthrough: true }) res: Response): Promise<CsafImportResultDto> {
    const result = await this.importer.import(actor, document);
    // 201 only when a resource was created; a known advisory answers 200, written or not.
    res.status(result.status === 'created' ? 201 : 200);
    return result;
  }

  @Get()
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'List advisories (a manufacturer key sees its own)' })
  @ApiOkResponse({ type: [AdvisoryResponseDto] })
  async list(@CurrentPrincipal() actor: Principal, @Query() query: AdvisoryQueryDto): Promise<AdvisoryResponseDto[]> {
    return (await this.advisories.list(actor, query)).map(toAdvisoryResponse);
  }

  @Get('unmapped-products')
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'Imported products that map to no model yet (newest first), for a person to map with PUT /product-mappings, an alias or a model' })
  @ApiOkResponse({ type: UnmappedProductPageDto })
  unmapped(@CurrentPrincipal() actor: Principal, @Query() query: UnmappedProductQueryDto): Promise<UnmappedProductPageDto> {
    return this.advisories.unmappedPage(actor, query);
  }

  @Get(':id')
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'One advisory with what it affects and how many devices it exposes now (the counts: not for a manufacturer)' })
  @ApiOkResponse({ type: AdvisoryDetailsDto })
  async get(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AdvisoryDetailsDto> {
    return toAdvisoryDetails(await this.advisories.details(actor, id));
  }

  @Patch(':id')
  @Roles('admin', 'manufacturer')
  @ApiOperation({ summary: 'Revise an advisory; the previous revision is kept' })
  @ApiOkResponse({ type: AdvisoryResponseDto })
  async update(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateAdvisoryDto): Promise<AdvisoryResponseDto> {
    return toAdvisoryResponse(await this.advisories.update(actor, id, dto));
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles('admin', 'manufacturer')
  @ApiOperation({ summary: 'Withdraw an advisory: its findings are resolved and kept as history' })
  @ApiOkResponse({ type: AdvisoryResponseDto })
  async withdraw(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AdvisoryResponseDto> {
    return toAdvisoryResponse(await this.advisories.withdraw(actor, id));
  }

  @Get(':id/revisions')
  @Roles('admin', 'biomed', 'it', 'manufacturer')
  @ApiOperation({ summary: 'Earlier revisions of an advisory' })
  @ApiOkResponse({ type: [AdvisoryRevisionDto] })
  async revisions(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<AdvisoryRevisionDto[]> {
    return this.advisories.revisions(actor, id);
  }
}
