import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { PrioritisationModule } from '../prioritisation/prioritisation.module';
import { FindingsController } from './findings.controller';
import { FindingsDriftRepository } from './findings-drift.repository';
import { FindingsQueueRepository } from './findings-queue.repository';
import { FindingsQueueWorker } from './findings-queue.worker';
import { FindingsReconciler } from './findings-reconciler.service';
import { FindingsEngine } from './findings.engine';
import { FindingsMetrics } from './findings.metrics';
import { FindingsRepository } from './findings.repository';
import { FindingsService } from './findings.service';
import { FirmwareStatusRepository } from './firmware-status.repository';
import { FirmwareStatusService } from './firmware-status.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [InventoryModule, PrioritisationModule],
  controllers: [FindingsController, ReportsController],
  providers: [
    FindingsRepository,
    FindingsQueueRepository,
    FindingsDriftRepository,
    FindingsMetrics,
    FindingsEngine,
    FindingsQueueWorker,
    FindingsReconciler,
    ReportsRepository,
    ReportsService,
    FindingsService,
    FirmwareStatusRepository,
    FirmwareStatusService,
  ],
  exports: [FindingsEngine],
})
export class FindingsModule {}
