import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { ErrorResponseDto } from '../openapi/error-response.dto';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { CreateFindingAcceptanceDto, FindingAcceptanceDto, FindingDetailDto } from './dto/finding-acceptance.dto';
import { FindingAcceptancesService } from './finding-acceptances.service';

@ApiTags('findings')
@ApiBearerAuth()
@Controller('findings')
export class FindingAcceptancesController {
  constructor(private readonly acceptances: FindingAcceptancesService) {}

  @Get(':id')
  @Roles('admin', 'it', 'biomed')
  @ApiOperation({ summary: 'One finding, with its latest risk acceptance' })
  @ApiOkResponse({ type: FindingDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such finding' })
  get(@Param('id') id: string): Promise<FindingDetailDto> {
    return this.acceptances.detail(id);
  }

  @Post(':id/acceptance')
  @Roles('admin', 'it')
  @ApiOperation({
    summary:
      'Accept the risk of an open finding until expiresAt (at most 365 days ahead): it leaves /reports/outdated-firmware and the summary until then, and comes back by itself',
  })
  @ApiCreatedResponse({ type: FindingAcceptanceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such finding, or it is resolved' })
  @ApiDuplicateResponse('Already accepted and not expired: revoke it first')
  accept(@CurrentPrincipal() actor: Principal, @Param('id') id: string, @Body() dto: CreateFindingAcceptanceDto): Promise<FindingAcceptanceDto> {
    return this.acceptances.accept(actor, id, dto);
  }

  @Delete(':id/acceptance')
  @Roles('admin', 'it')
  @ApiOperation({ summary: "Revoke a finding's active risk acceptance: it is back on the report at once" })
  @ApiOkResponse({ type: FindingAcceptanceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such open finding, or no active acceptance of it' })
  revoke(@CurrentPrincipal() actor: Principal, @Param('id') id: string): Promise<FindingAcceptanceDto> {
    return this.acceptances.revoke(actor, id);
  }
}
