import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { AvailableWithoutDatabase, Roles } from '../auth/roles.decorator';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @Roles('admin', 'it')
  // Scraped most usefully while the database is down (commit failures, pending heartbeats).
  @AvailableWithoutDatabase()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  @ApiOperation({
    summary:
      'Prometheus metrics (scrape with a bearer API key of role it or admin; a key confirmed in the last 5 minutes still works while the database is down)',
  })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
