import { Module } from '@nestjs/common';
import { FindingPrioritiesRepository } from './finding-priorities.repository';
import { FindingPriorities } from './finding-priorities.service';

/**
 * SSVC decisions of open findings, the remediation policy and analysts' assessments. Depends on
 * no feature module: it reads their tables and reacts to PRIORITY_INPUTS_CHANGED; the findings
 * module calls FindingPriorities inside its own recomputes.
 */
@Module({
  providers: [FindingPrioritiesRepository, FindingPriorities],
  exports: [FindingPriorities],
})
export class PrioritisationModule {}
