import { Module } from '@nestjs/common';
import { FhirTasksController } from './fhir/fhir-tasks.controller';
import { FhirTasksService } from './fhir/fhir-tasks.service';
import { RecurringWindowsController } from './recurring-windows.controller';
import { RecurringWindowsRepository } from './recurring-windows.repository';
import { RecurringWindowsService } from './recurring-windows.service';
import { RemediationReportController } from './remediation-report.controller';
import { RemediationReportRepository } from './remediation-report.repository';
import { RemediationReportService } from './remediation-report.service';
import { WorkOrdersController } from './work-orders.controller';
import { WorkOrdersListener } from './work-orders.listener';
import { WorkOrdersMetrics } from './work-orders.metrics';
import { WorkOrdersPlanner } from './work-orders-planner.service';
import { WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersService } from './work-orders.service';

/** The remediation loop: work orders opened by decisions, closed by the device's own proof. */
@Module({
  // Fixed paths under work-orders/ before work-orders/:id.
  controllers: [RecurringWindowsController, WorkOrdersController, RemediationReportController, FhirTasksController],
  providers: [
    WorkOrdersRepository,
    WorkOrdersPlanner,
    WorkOrdersService,
    WorkOrdersListener,
    WorkOrdersMetrics,
    RemediationReportRepository,
    RemediationReportService,
    FhirTasksService,
    RecurringWindowsRepository,
    RecurringWindowsService,
  ],
})
export class WorkOrdersModule {}
