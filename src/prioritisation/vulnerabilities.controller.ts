import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Principal } from '../access/role';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Roles } from '../auth/roles.decorator';
import { PatchVulnerabilityDto, VulnerabilityResponseDto } from './dto/vulnerability.dto';
import { VulnerabilitiesService } from './vulnerabilities.service';

@ApiTags('prioritisation')
@ApiBearerAuth()
@Controller('vulnerabilities')
export class VulnerabilitiesController {
  constructor(private readonly vulnerabilities: VulnerabilitiesService) {}

  @Get(':cve')
  @Roles('admin', 'biomed', 'it')
  @ApiOperation({ summary: "What the service knows of a CVE: the analyst's SSVC values, its CISA KEV entry and its EPSS score" })
  @ApiParam({ name: 'cve', example: 'CVE-2019-0708' })
  @ApiOkResponse({ type: VulnerabilityResponseDto })
  read(@Param('cve') cve: string): Promise<VulnerabilityResponseDto> {
    return this.vulnerabilities.read(cve);
  }

  @Patch(':cve')
  @Roles('admin', 'it')
  @ApiOperation({
    summary:
      "Set an analyst's SSVC Exploitation and Automatable for a CVE, with a note (audited). They win over the advisory's document and the CVSS vector " +
      '(a KEV listing still makes exploitation active); null clears a value. Every open finding of an advisory naming the CVE is decided again before the answer.',
  })
  @ApiParam({ name: 'cve', example: 'CVE-2019-0708' })
  @ApiOkResponse({ type: VulnerabilityResponseDto })
  assess(@CurrentPrincipal() actor: Principal, @Param('cve') cve: string, @Body() dto: PatchVulnerabilityDto): Promise<VulnerabilityResponseDto> {
    return this.vulnerabilities.assess(actor, cve, dto);
  }
}
