import { Module } from '@nestjs/common';
import { WorkOrdersController } from './work-orders.controller';
import { WorkOrdersListener } from './work-orders.listener';
import { WorkOrdersMetrics } from './work-orders.metrics';
import { WorkOrdersPlanner } from './work-orders-planner.service';
import { WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersService } from './work-orders.service';

/** The remediation loop: work orders opened by decisions, closed by the device's own proof. */
@Module({
  controllers: [WorkOrdersController],
  providers: [WorkOrdersRepository, WorkOrdersPlanner, WorkOrdersService, WorkOrdersListener, WorkOrdersMetrics],
})
export class WorkOrdersModule {}
