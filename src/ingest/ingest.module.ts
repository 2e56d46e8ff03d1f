import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { SecurityEventsModule } from '../security-events/security-events.module';
import { ConnectivitySweeper } from './connectivity-sweeper.service';
import { HeartbeatIngestService } from './heartbeat-ingest.service';
import { HeartbeatRepository } from './heartbeat.repository';
import { IngestRecordsRepository } from './ingest-records.repository';
import { IngestController } from './ingest.controller';
import { IngestMetrics } from './ingest.metrics';

@Module({
  imports: [InventoryModule, SecurityEventsModule],
  controllers: [IngestController],
  providers: [HeartbeatRepository, IngestRecordsRepository, IngestMetrics, HeartbeatIngestService, ConnectivitySweeper],
  exports: [ConnectivitySweeper],
})
export class IngestModule {}
