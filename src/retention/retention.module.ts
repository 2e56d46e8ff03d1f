import { Module } from '@nestjs/common';
import { RetentionMetrics } from './retention.metrics';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';

/** Pruning of the tables that grow with time; the audit log through the (global) audit module. */
@Module({
  providers: [RetentionRepository, RetentionMetrics, RetentionService],
})
export class RetentionModule {}
