import { Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { Principal } from '../auth/role';
import { Roles } from '../auth/roles.decorator';
import { heartbeatTopicFor } from '../mqtt/broker-authenticator';
import { DeviceCredentialsService } from './device-credentials.service';
import { DeviceCredentialsDto } from './dto/device-credentials.dto';

@ApiTags('inventory')
@ApiBearerAuth()
@Controller('devices')
export class DeviceCredentialsController {
  constructor(private readonly credentials: DeviceCredentialsService) {}

  @Post(':id/credentials')
  @Roles('admin', 'biomed')
  @ApiOperation({ summary: 'Issue (or rotate) the MQTT credentials of a device; the password is shown once' })
  @ApiCreatedResponse({ type: DeviceCredentialsDto })
  async issue(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<DeviceCredentialsDto> {
    const { username, password } = await this.credentials.issue(actor, id);
    return { username, password, topic: heartbeatTopicFor(id) };
  }
}
