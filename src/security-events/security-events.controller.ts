import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { EventIdPipe } from './event-id.pipe';
import { SecurityEventDto, SecurityEventPageDto, SecurityEventQueryDto, toSecurityEvent } from './dto/security-event.dto';
import { SecurityEventsService } from './security-events.service';

@ApiTags('security-events')
@ApiBearerAuth()
@Controller('security-events')
export class SecurityEventsController {
  constructor(private readonly events: SecurityEventsService) {}

  @Get()
  @Roles('admin', 'it', 'biomed')
  @ApiOperation({
    summary:
      'Security events noticed in heartbeats and findings (firmware downgrade, unreleased firmware, rogue or decommissioned devices, address changes, new exposure), newest first; biomed sees events about registered devices only',
  })
  @ApiOkResponse({ type: SecurityEventPageDto })
  async list(@CurrentPrincipal() caller: Principal, @Query() query: SecurityEventQueryDto): Promise<SecurityEventPageDto> {
    const page = await this.events.list(caller, query);
    return { items: page.items.map(toSecurityEvent), nextCursor: page.nextCursor };
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'it')
  @ApiOperation({ summary: 'Acknowledge a security event (audited); 409 when someone already did' })
  @ApiParam({ name: 'id', example: '42' })
  @ApiOkResponse({ type: SecurityEventDto })
  async acknowledge(@CurrentPrincipal() actor: Principal, @Param('id', EventIdPipe) id: string): Promise<SecurityEventDto> {
    return toSecurityEvent(await this.events.acknowledge(actor, id));
  }
}
