import { Body, Controller, Get, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { Request } from 'express';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { JsonBodyGuard } from '../common/json-body.guard';
import { AppConfig } from '../config/app-config';
import { ErrorResponseDto } from '../openapi/error-response.dto';
import { ApiDuplicateResponse } from '../openapi/error-responses';
import { ApiRequestContent } from '../openapi/request-content';
import { DrainableBody } from './drainable-body';
import { EpssLoadResultDto, KevLoadResultDto, PullResultDto } from './dto/feed-load-result.dto';
import { ThreatIntelStatusDto } from './dto/threat-intel-status.dto';
import { EpssContentGuard, isDeclaredGzip } from './epss-content.guard';
import { EPSS_REQUEST_CONTENT } from './dto/epss-request-content';
import { ThreatIntelPuller } from './threat-intel-puller.service';
import { ThreatIntelService } from './threat-intel.service';

@ApiTags('threat-intel')
@ApiBearerAuth()
@Controller('threat-intel')
export class ThreatIntelController {
  constructor(
    private readonly threatIntel: ThreatIntelService,
    private readonly puller: ThreatIntelPuller,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Roles('admin', 'it')
  @ApiOperation({ summary: 'What threat intelligence is loaded (KEV catalog, EPSS day) and how the configured pulls went' })
  @ApiOkResponse({ type: ThreatIntelStatusDto })
  status(): Promise<ThreatIntelStatusDto> {
    return this.threatIntel.status();
  }

  @Post('kev')
  @HttpCode(200)
  @Roles('admin', 'it')
  @UseGuards(JsonBodyGuard)
  @ApiOperation({
    summary: "Load CISA's Known Exploited Vulnerabilities catalog, as published (known_exploited_vulnerabilities.json)",
    description:
      "Checked against CISA's published JSON schema (a 400 names the JSON path of each problem, e.g. `vulnerabilities[3].cveID: is required`), then replaces the loaded catalog whole, in one transaction. " +
      'The same catalogVersion again answers `unchanged: true` and writes nothing. Up to HTTP_IMPORT_LIMIT_BYTES (20 MiB by default; the catalog is about 1.3 MB).',
  })
  @ApiBody({
    description: 'The KEV catalog, exactly as https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json serves it',
    schema: {
      type: 'object',
      required: ['catalogVersion', 'dateReleased', 'count', 'vulnerabilities'],
      additionalProperties: true,
      properties: {
        catalogVersion: { type: 'string' },
        dateReleased: { type: 'string' },
        count: { type: 'integer' },
        vulnerabilities: {
          type: 'array',
          items: {
            type: 'object',
            required: ['cveID', 'vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate'],
            properties: {
              cveID: { type: 'string', pattern: '^CVE-[0-9]{4}-[0-9]{4,19}$' },
              vendorProject: { type: 'string' },
              product: { type: 'string' },
              vulnerabilityName: { type: 'string' },
              dateAdded: { type: 'string', format: 'date' },
              shortDescription: { type: 'string' },
              requiredAction: { type: 'string' },
              dueDate: { type: 'string', format: 'date' },
              knownRansomwareCampaignUse: { type: 'string', enum: ['Known', 'Unknown'] },
              notes: { type: 'string' },
              cwes: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
      example: {
        catalogVersion: '2025.08.25',
        dateReleased: '2025-08-25T17:04:19.9796Z',
        count: 1,
        vulnerabilities: [
          {
            cveID: 'CVE-2019-0708',
            vendorProject: 'Microsoft',
            product: 'Remote Desktop Services',
            vulnerabilityName: 'Microsoft Remote Desktop Services Remote Code Execution Vulnerability',
            dateAdded: '2021-11-03',
            shortDescription: 'Microsoft Remote Desktop Services, formerly known as Terminal Service, contains an unspecified vulnerability (BlueKeep).',
            requiredAction: 'Apply updates per vendor instructions.',
            dueDate: '2022-05-03',
            knownRansomwareCampaignUse: 'Known',
            notes: 'https://nvd.nist.gov/vuln/detail/CVE-2019-0708',
            cwes: ['CWE-416'],
          },
        ],
      },
    },
  })
  @ApiOkResponse({ type: KevLoadResultDto, description: 'Loaded, or this catalogVersion was loaded already (unchanged: true)' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Larger than HTTP_IMPORT_LIMIT_BYTES' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'Content-Type is not application/json' })
  // Untyped on purpose: CISA's schema checks it, and the DTO pipe leaves it whole.
  loadKev(@CurrentPrincipal() actor: Principal, @Body() catalog: unknown): Promise<KevLoadResultDto> {
    return this.threatIntel.loadKev({ actor, origin: 'upload' }, catalog);
  }

  @Post('epss')
  @HttpCode(200)
  @Roles('admin', 'it')
  @UseGuards(EpssContentGuard)
  @ApiOperation({
    summary: "Load a day of FIRST's EPSS scores, the CSV as published (epss_scores-YYYY-MM-DD.csv.gz), plain or gzip",
    description:
      'Line 1 `#model_version:<v>,score_date:<ISO 8601>`, line 2 `cve,epss,percentile`, then one CVE a line. Streamed (never held whole) into staging, then swapped in ' +
      'in one transaction: readers see the previous day or this one, never a mix. A malformed line loads nothing (400 naming the line and field). ' +
      'The same model_version and score_date again answers `unchanged: true` and writes nothing. gzip is recognised by its bytes or by Content-Encoding: gzip / Content-Type: application/gzip. ' +
      'Up to HTTP_IMPORT_LIMIT_BYTES (20 MiB by default) as sent, and as much CSV after gunzip.',
  })
  @ApiConsumes('text/csv', 'application/gzip')
  @ApiRequestContent(EPSS_REQUEST_CONTENT)
  @ApiOkResponse({ type: EpssLoadResultDto, description: 'Loaded, or this day was loaded already (unchanged: true)' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Larger than HTTP_IMPORT_LIMIT_BYTES, as sent or after gunzip' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'A malformed file (the message names the line and the field; nothing is loaded), or a JSON body',
  })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'Content-Type is neither CSV nor gzip (nor JSON: 400)' })
  loadEpss(@CurrentPrincipal() actor: Principal, @Req() req: Request, @Headers() headers: Record<string, string | undefined>): Promise<EpssLoadResultDto> {
    const body = new DrainableBody(req, this.config.HTTP_IMPORT_LIMIT_BYTES);
    return this.threatIntel.loadEpss({ actor, origin: 'upload' }, { body, declaredGzip: isDeclaredGzip(headers) });
  }

  @Post('pull')
  @HttpCode(200)
  @Roles('admin', 'it')
  @ApiOperation({
    summary: 'Pull KEV_URL and EPSS_URL now (those configured), whatever the schedule; answers what each pull did',
    description: 'A feed that fails is reported here and at GET /threat-intel (lastError) and leaves what is loaded as it was.',
  })
  @ApiOkResponse({ type: PullResultDto })
  @ApiDuplicateResponse('A pull is running already (another request, or the schedule on some replica)')
  pull(@CurrentPrincipal() actor: Principal): Promise<PullResultDto> {
    return this.puller.pullNow(actor);
  }
}
