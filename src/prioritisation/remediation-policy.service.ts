import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Principal } from '../access/role';
import { AuditService } from '../audit/audit.service';
import { PutRemediationPolicyDto } from './dto/remediation-policy.dto';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from './prioritisation.events';
import { RemediationDue } from './remediation-durations';
import { RemediationPolicyRecord, RemediationPolicyRepository } from './remediation-policy.repository';
import { DECISIONS } from './ssvc-decision-points';

/** How long each decision allows: every open finding's due date follows a change before the answer. */
@Injectable()
export class RemediationPolicyService {
  constructor(
    private readonly policy: RemediationPolicyRepository,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  read(): Promise<RemediationPolicyRecord> {
    return this.policy.read();
  }

  async replace(actor: Principal, dto: PutRemediationPolicyDto): Promise<RemediationPolicyRecord> {
    const due: RemediationDue = { immediate: dto.due.immediate, out_of_cycle: dto.due.out_of_cycle, scheduled: dto.due.scheduled, defer: dto.due.defer };
    const changed = await this.policy.transaction(async (m) => {
      const before = await this.policy.read(m, { forUpdate: true });
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const d of DECISIONS) if ((before.due[d] ?? null) !== due[d]) changes[`due.${d}`] = { from: before.due[d] ?? null, to: due[d] };
      if (!Object.keys(changes).length) return false;
      await this.policy.writeDue(m, due, actor.id);
      await this.audit.record(m, actor, { action: 'update', entityType: 'remediation_policy', entityId: '1', changes });
      return true;
    });
    if (changed) {
      const event: PriorityInputsChangedEvent = { scope: 'all' };
      await this.events.emitAsync(PRIORITY_INPUTS_CHANGED, event);
    }
    return this.policy.read();
  }
}
