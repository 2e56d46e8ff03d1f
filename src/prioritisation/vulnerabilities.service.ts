import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Principal } from '../access/role';
import { AuditService } from '../audit/audit.service';
import { InvalidInputError } from '../common/domain-errors';
import { PatchVulnerabilityDto, toVulnerabilityResponse, VulnerabilityResponseDto } from './dto/vulnerability.dto';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from './prioritisation.events';
import { VulnerabilityAssessmentsRepository } from './vulnerability-assessments.repository';

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

/** An analyst's SSVC values for a CVE (exploitation, automatable), and what the feeds say of it. */
@Injectable()
export class VulnerabilitiesService {
  constructor(
    private readonly assessments: VulnerabilityAssessmentsRepository,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  async read(cveParam: string): Promise<VulnerabilityResponseDto> {
    const cve = checkCve(cveParam);
    const [assessment, kev, epss] = await Promise.all([this.assessments.find(null, cve), this.assessments.kev(cve), this.assessments.epss(cve)]);
    return toVulnerabilityResponse(cve, assessment, kev, epss);
  }

  /** Absent fields keep their value, null clears one; the decisions of every finding of an advisory naming the CVE follow before the answer. */
  async assess(actor: Principal, cveParam: string, dto: PatchVulnerabilityDto): Promise<VulnerabilityResponseDto> {
    const cve = checkCve(cveParam);
    await this.assessments.transaction(async (m) => {
      const before = await this.assessments.find(m, cve, { forUpdate: true });
      const after = {
        cve,
        exploitation: dto.exploitation !== undefined ? dto.exploitation : (before?.exploitation ?? null),
        automatable: dto.automatable !== undefined ? dto.automatable : (before?.automatable ?? null),
        note: dto.note,
        updatedBy: actor.id,
      };
      await this.assessments.upsert(m, after);
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of ['exploitation', 'automatable', 'note'] as const) {
        const from = before?.[key] ?? null;
        if (from !== after[key]) changes[key] = { from, to: after[key] };
      }
      await this.audit.record(m, actor, { action: before ? 'update' : 'create', entityType: 'vulnerability_assessment', entityId: cve, changes });
    });
    const event: PriorityInputsChangedEvent = { scope: 'cves', cves: [cve] };
    await this.events.emitAsync(PRIORITY_INPUTS_CHANGED, event);
    return this.read(cve);
  }
}

function checkCve(value: string): string {
  const cve = value.trim().toUpperCase();
  if (!CVE_ID.test(cve)) throw new InvalidInputError('cve: must be a CVE id such as CVE-2019-0708');
  return cve;
}
