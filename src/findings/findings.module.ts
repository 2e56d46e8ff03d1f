import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module';
import { FindingsController } from './findings.controller';
import { FindingsEngine } from './findings.engine';
import { FindingsRepository } from './findings.repository';
import { FirmwareStatusService } from './firmware-status.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [InventoryModule],
  controllers: [FindingsController, ReportsController],
  providers: [FindingsRepository, FindingsEngine, ReportsRepository, ReportsService, FirmwareStatusService],
  exports: [FindingsEngine],
})
export class FindingsModule {}
