import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { PrioritisationModule } from '../prioritisation/prioritisation.module';
import { AcceptanceSweeper } from './acceptance-sweeper.service';
import { FindingAcceptancesController } from './finding-acceptances.controller';
import { FindingAcceptancesRepository } from './finding-acceptances.repository';
import { FindingAcceptancesService } from './finding-acceptances.service';
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
import { ExposureHistoryRepository } from './exposure-history.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [InventoryModule, PrioritisationModule],
  controllers: [FindingsController, FindingAcceptancesController, ReportsController],
  providers: [
    FindingsRepository,
    FindingsQueueRepository,
    FindingsDriftRepository,
    FindingsMetrics,
    FindingsEngine,
    FindingsQueueWorker,
    FindingsReconciler,
    ReportsRepository,
    ExposureHistoryRepository,
    ReportsService,
    FindingsService,
    FirmwareStatusRepository,
    FirmwareStatusService,
    FindingAcceptancesRepository,
    FindingAcceptancesService,
    AcceptanceSweeper,
  ],
  exports: [FindingsEngine],
})
export class FindingsModule {}
