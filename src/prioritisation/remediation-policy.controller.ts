import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Principal } from '../access/role';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Roles } from '../auth/roles.decorator';
import { PutRemediationPolicyDto, RemediationPolicyResponseDto, toRemediationPolicyResponse } from './dto/remediation-policy.dto';
import { RemediationPolicyService } from './remediation-policy.service';

@ApiTags('prioritisation')
@ApiBearerAuth()
@Controller('remediation-policy')
export class RemediationPolicyController {
  constructor(private readonly policy: RemediationPolicyService) {}

  @Get()
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({
    summary: 'How long each SSVC decision allows before a finding is due (defaults: immediate P2D, out_of_cycle P14D, scheduled P90D, defer none)',
  })
  @ApiOkResponse({ type: RemediationPolicyResponseDto })
  async read(): Promise<RemediationPolicyResponseDto> {
    return toRemediationPolicyResponse(await this.policy.read());
  }

  @Put()
  @Roles('admin', 'it')
  @ApiOperation({
    summary:
      'Replace the time allowed per decision (ISO-8601 durations, null: no due date; audited). A finding is due that long after it reached its current decision; ' +
      "every open finding's due date follows before the answer.",
  })
  @ApiOkResponse({ type: RemediationPolicyResponseDto })
  async replace(@CurrentPrincipal() actor: Principal, @Body() dto: PutRemediationPolicyDto): Promise<RemediationPolicyResponseDto> {
    return toRemediationPolicyResponse(await this.policy.replace(actor, dto));
  }
}
