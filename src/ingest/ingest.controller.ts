import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { RejectionQueryDto, UnknownDeviceQueryDto } from './dto/ingest-query.dto';
import { RejectionPageDto, toRejection, toUnknownDevice, UnknownDeviceDto } from './dto/ingest-response.dto';
import { MAX_STORED_REJECTIONS } from './heartbeat.repository';
import { IngestRecordsRepository } from './ingest-records.repository';

@ApiTags('ingest')
@ApiBearerAuth()
@Controller('ingest')
export class IngestController {
  constructor(private readonly records: IngestRecordsRepository) {}

  @Get('rejections')
  @Roles('admin', 'it')
  @ApiOperation({ summary: 'Heartbeats that were refused, newest first, with the reason and topic' })
  @ApiOkResponse({ type: RejectionPageDto })
  async rejections(@Query() query: RejectionQueryDto): Promise<RejectionPageDto> {
    const limit = query.limit ?? 100;
    const rows = await this.records.rejections({ ...query, limit });
    return { items: rows.map(toRejection), nextCursor: rows.length === limit ? rows[rows.length - 1].id : null, retained: MAX_STORED_REJECTIONS };
  }

  @Get('unknown-devices')
  @Roles('admin', 'it', 'biomed')
  @ApiOperation({ summary: 'Devices heard over MQTT that the inventory does not know, or whose serial disagrees: a rogue-device signal' })
  @ApiOkResponse({ type: [UnknownDeviceDto] })
  async unknownDevices(@Query() query: UnknownDeviceQueryDto): Promise<UnknownDeviceDto[]> {
    return (await this.records.unknownDevices(query)).map(toUnknownDevice);
  }
}
