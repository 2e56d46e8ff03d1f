import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ConflictError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { checkExpiry } from './acceptance-rules';
import { CreateFindingAcceptanceDto, FindingAcceptanceDto, FindingDetailDto, toAcceptance } from './dto/finding-acceptance.dto';
import { toFinding } from './dto/finding-response.dto';
import { FindingAcceptancesRepository } from './finding-acceptances.repository';
import { FINDINGS_CHANGED, FindingsChangedEvent } from './findings.events';
import { FindingsRepository } from './findings.repository';
import { ReportsRepository } from './reports.repository';

/** Risk acceptances of open findings (docs/vex-and-acceptance.md): accept until a date, revoke, read. */
@Injectable()
export class FindingAcceptancesService {
  constructor(
    private readonly acceptances: FindingAcceptancesRepository,
    private readonly findings: FindingsRepository,
    private readonly reports: ReportsRepository,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
  ) {}

  async accept(actor: Principal, findingId: string, dto: CreateFindingAcceptanceDto): Promise<FindingAcceptanceDto> {
    assertFindingId(findingId);
    const expiry = checkExpiry(dto.expiresAt, new Date());
    if (!expiry.ok) throw new InvalidInputError(expiry.message);
    // Under the findings lock: the device's summary is written from the findings as this transaction sees them.
    const created = await this.findings.locked(async (m) => {
      const finding = await this.acceptances.lockFinding(m, findingId);
      if (!finding || finding.status !== 'open') throw new NotFoundError('Open finding', findingId);
      const active = await this.acceptances.active(m, findingId);
      if (active) {
        throw new ConflictError(
          `findingId: finding ${findingId} is already accepted until ${active.expiresAt.toISOString()}; revoke it (DELETE) before accepting it again`,
        );
      }
      const record = await this.acceptances.insert(m, {
        findingId,
        deviceId: finding.deviceId,
        reason: dto.reason.trim(),
        compensatingControl: dto.compensatingControl.trim(),
        expiresAt: expiry.at,
        acceptedBy: actor.id,
      });
      await this.findings.refreshSummaries(m, [finding.deviceId]);
      await this.audit.record(m, actor, {
        action: 'accept_risk',
        entityType: 'finding',
        entityId: findingId,
        changes: { acceptanceId: record.id, reason: record.reason, compensatingControl: record.compensatingControl, expiresAt: record.expiresAt.toISOString() },
      });
      return record;
    });
    this.announce(created.deviceId);
    // Just accepted, with an expiry checked to be in the future: it hides the finding.
    return toAcceptance(created, 'open', true);
  }

  async revoke(actor: Principal, findingId: string): Promise<FindingAcceptanceDto> {
    assertFindingId(findingId);
    const revoked = await this.findings.locked(async (m) => {
      const finding = await this.acceptances.lockFinding(m, findingId);
      if (!finding || finding.status !== 'open') throw new NotFoundError('Open finding', findingId);
      const active = await this.acceptances.active(m, findingId);
      if (!active) throw new NotFoundError('Active acceptance of finding', findingId);
      const record = await this.acceptances.revoke(m, active.id, findingId, actor.id);
      await this.findings.refreshSummaries(m, [finding.deviceId]);
      await this.audit.record(m, actor, { action: 'revoke_risk_acceptance', entityType: 'finding', entityId: findingId, changes: { acceptanceId: record.id } });
      return { record, deviceId: finding.deviceId };
    });
    this.announce(revoked.deviceId);
    return toAcceptance(revoked.record, 'open', false);
  }

  /**
   * After the commit: an acceptance hides a finding from the report and its device's priority
   * (a revocation shows it again), so live consoles refresh and work orders plan the device again.
   */
  private announce(deviceId: string): void {
    const event: FindingsChangedEvent = { deviceIds: [deviceId], opened: 0, resolved: 0 };
    this.events.emit(FINDINGS_CHANGED, event);
  }

  async detail(findingId: string): Promise<FindingDetailDto> {
    assertFindingId(findingId);
    const [row] = await this.reports.findings({ id: findingId, limit: 1 });
    if (!row) throw new NotFoundError('Finding', findingId);
    const latest = (await this.acceptances.latestOf([findingId])).get(findingId);
    return { ...toFinding(row), acceptance: latest ? toAcceptance(latest, row.status, row.accepted_now) : null };
  }
}

/** Finding ids are bigints: decimal digits, at most 18 so they always fit. */
function assertFindingId(id: string): void {
  if (!/^[0-9]{1,18}$/.test(id)) throw new InvalidInputError('id: must be a finding id (a whole number)');
}
