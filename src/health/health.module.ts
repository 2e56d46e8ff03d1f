import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MqttHealthIndicator } from './mqtt.health';
import { ReadReplicaHealthIndicator } from './read-replica.health';
import { ReadReplicaMetrics } from './read-replica.metrics';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [MqttHealthIndicator, ReadReplicaHealthIndicator, ReadReplicaMetrics],
})
export class HealthModule {}
