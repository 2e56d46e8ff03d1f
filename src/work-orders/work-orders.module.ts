import { Module } from '@nestjs/common';
import { FhirTasksController } from './fhir/fhir-tasks.controller';
import { FhirTasksService } from './fhir/fhir-tasks.service';
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
  controllers: [WorkOrdersController, RemediationReportController, FhirTasksController],
  providers: [
    WorkOrdersRepository,
    WorkOrdersPlanner,
    WorkOrdersService,
    WorkOrdersListener,
    WorkOrdersMetrics,
    RemediationReportRepository,
    RemediationReportService,
    FhirTasksService,
  ],
})
export class WorkOrdersModule {}
