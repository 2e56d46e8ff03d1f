import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../access/role';
import { AuditChainVerdict } from './audit-chain';
import { AuditRecord } from './audit-record';
import { AuditPrune, AuditRepository } from './audit.repository';
import { AuditQueryDto } from './dto/audit-query.dto';

/** The system itself (boot, heartbeats) when no person or key acted. */
export const SYSTEM_ACTOR: Principal = { kind: 'api-key', id: '00000000-0000-0000-0000-000000000000', name: 'system', role: 'admin' };

@Injectable()
export class AuditService {
  constructor(private readonly repo: AuditRepository) {}

  /** Always called with the manager of the transaction that makes the change. */
  record(manager: EntityManager, actor: Principal, record: AuditRecord): Promise<void> {
    return this.repo.append(manager, actor, record);
  }

  search(query: AuditQueryDto) {
    return this.repo.search(query);
  }

  verifyChain(): Promise<AuditChainVerdict> {
    return this.repo.verify();
  }

  /** Retention: removes entries older than the cutoff behind a checkpoint, so the chain still verifies. */
  pruneBefore(cutoff: Date): Promise<AuditPrune | null> {
    return this.repo.pruneBefore(cutoff, SYSTEM_ACTOR);
  }
}
