import { Module } from '@nestjs/common';
import { FindingPrioritiesRepository } from './finding-priorities.repository';
import { FindingPriorities } from './finding-priorities.service';
import { UndecidedFindings } from './undecided-findings.service';
import { RemediationPolicyController } from './remediation-policy.controller';
import { RemediationPolicyRepository } from './remediation-policy.repository';
import { RemediationPolicyService } from './remediation-policy.service';
import { VulnerabilitiesController } from './vulnerabilities.controller';
import { VulnerabilitiesService } from './vulnerabilities.service';
import { VulnerabilityAssessmentsRepository } from './vulnerability-assessments.repository';

/**
 * SSVC decisions of open findings, the remediation policy and analysts' assessments. Depends on
 * no feature module: it reads their tables and reacts to PRIORITY_INPUTS_CHANGED; the findings
 * module calls FindingPriorities inside its own recomputes.
 */
@Module({
  controllers: [VulnerabilitiesController, RemediationPolicyController],
  providers: [
    FindingPrioritiesRepository,
    FindingPriorities,
    VulnerabilityAssessmentsRepository,
    VulnerabilitiesService,
    RemediationPolicyRepository,
    RemediationPolicyService,
    UndecidedFindings,
  ],
  exports: [FindingPriorities],
})
export class PrioritisationModule {}
