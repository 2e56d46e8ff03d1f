import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MqttConnection } from '../mqtt/mqtt-connection';

@Injectable()
export class MqttHealthIndicator {
  constructor(
    private readonly connection: MqttConnection,
    private readonly indicator: HealthIndicatorService,
  ) {}

  check(key = 'mqtt') {
    const session = this.indicator.check(key);
    return this.connection.connected ? session.up() : session.down({ message: this.connection.error ?? 'not connected' });
  }
}
