import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../access/roles.decorator';
import { AuditService } from './audit.service';
import { AuditPageDto, toAuditEntryResponse } from './dto/audit-entry-response.dto';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditVerifyResponseDto, toAuditVerifyResponse } from './dto/audit-verify-response.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('admin', 'it')
  @ApiOperation({ summary: 'Search the audit log, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  async search(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.search(query);
    return { items: page.items.map(toAuditEntryResponse), nextCursor: page.nextCursor };
  }

  @Get('verify')
  @Roles('admin', 'it')
  @ApiOperation({ summary: 'Recompute the audit hash chain and name the first broken link, if any' })
  @ApiOkResponse({ type: AuditVerifyResponseDto })
  async verify(): Promise<AuditVerifyResponseDto> {
    return toAuditVerifyResponse(await this.audit.verifyChain());
  }
}
