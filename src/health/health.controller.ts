import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator';
import { MqttHealthIndicator } from './mqtt.health';
import { ReadReplicaHealthIndicator } from './read-replica.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly mqtt: MqttHealthIndicator,
    private readonly readReplica: ReadReplicaHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness: database, MQTT broker and, with DATABASE_READ_URL, the read replica and its lag (503 when one is down)' })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.mqtt.check('mqtt'),
      ...(this.readReplica.configured ? [() => this.readReplica.check('databaseRead')] : []),
    ]);
  }
}
