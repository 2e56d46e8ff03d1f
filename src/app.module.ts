import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { AdvisoriesModule } from './advisories/advisories.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { StopLog } from './boot/stop-log';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation.pipe';
import { AppConfig } from './config/app-config';
import { ConsoleModule } from './console/console.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DeviceCredentialsModule } from './device-credentials/device-credentials.module';
import { FindingsModule } from './findings/findings.module';
import { RetentionModule } from './retention/retention.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { InventoryModule } from './inventory/inventory.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { MqttModule } from './mqtt/mqtt.module';
import { PrioritisationModule } from './prioritisation/prioritisation.module';
import { SyslogModule } from './syslog/syslog.module';
import { ThreatIntelModule } from './threat-intel/threat-intel.module';
import { SecurityEventsModule } from './security-events/security-events.module';
import { UsersModule } from './users/users.module';
import { WorkOrdersModule } from './work-orders/work-orders.module';

/** The whole service, built from one validated configuration (tests pass their own). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        EventEmitterModule.forRoot(),
        DatabaseModule,
        MqttModule,
        MetricsModule,
        AuditModule,
        AuthModule,
        UsersModule,
        HealthModule,
        InventoryModule,
        IngestModule,
        DeviceCredentialsModule,
        AdvisoriesModule,
        FindingsModule,
        PrioritisationModule,
        SyslogModule,
        ThreatIntelModule,
        SecurityEventsModule,
        WorkOrdersModule,
        RetentionModule,
        ConsoleModule,
      ],
      providers: [{ provide: APP_PIPE, useFactory: createValidationPipe }, { provide: APP_FILTER, useClass: HttpExceptionFilter }, StopLog],
    };
  }
}
