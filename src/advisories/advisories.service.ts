import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { DeviceModelsRepository } from '../inventory/device-models.repository';
import { AdvisoryChanges } from './advisory-changes';
import { assertReadableAffected } from './advisory-input-rules';
import { AdvisoryRecord } from './advisory.types';
import { AdvisoriesRepository } from './advisories.repository';
import { AdvisoryDetails } from './advisory-details';
import { seesInventory, visibleUnmapped } from './manufacturer-view';
import { severityFromCvss } from './severity';
import { exploitStatements } from './csaf';
import { AdvisoryQueryDto, CreateAdvisoryDto, UpdateAdvisoryDto } from './dto/advisory-input.dto';
import { UnmappedProductQueryDto } from './dto/unmapped-product-query.dto';

/** Matches no advisory: a manufacturer key without a manufacturer (never issued) sees nothing. */
const NO_MANUFACTURER = '00000000-0000-0000-0000-000000000000';

@Injectable()
export class AdvisoriesService {
  constructor(
    private readonly advisories: AdvisoriesRepository,
    private readonly models: DeviceModelsRepository,
    private readonly changes: AdvisoryChanges,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Principal, dto: CreateAdvisoryDto): Promise<AdvisoryRecord> {
    this.assertOwner(actor, dto.manufacturerId);
    assertReadableAffected(dto.affected);
    await this.assertModelsOf(
      dto.manufacturerId,
      dto.affected.map((a) => a.modelId),
    );
    const created = await this.advisories.transaction(async (m) => {
      const advisory = await this.advisories.insert(m, {
        manufacturerId: dto.manufacturerId,
        source: 'manual',
        trackingId: null,
        publisherNamespace: null,
        submittedByManufacturerId: actor.role === 'manufacturer' ? (actor.manufacturerId ?? null) : null,
        sourceRevision: null,
        document: null,
        title: dto.title,
        cves: dto.cves ?? [],
        cvssScore: dto.cvssScore ?? null,
        cvssVector: dto.cvssVector ?? null,
        severity: dto.severity ?? severityFromCvss(dto.cvssScore),
        publishedAt: dto.publishedAt ? new Date(dto.publishedAt) : null,
        remediation: dto.remediation ?? null,
      });
      await this.advisories.addAffected(
        m,
        advisory.id,
        dto.affected.map((a) => ({ modelId: a.modelId, versions: a.versions, fixedVersion: a.fixedVersion ?? null, productRef: null })),
      );
      await this.audit.record(m, actor, { action: 'create', entityType: 'advisory', entityId: advisory.id, changes: { ...dto } });
      return advisory;
    });
    await this.changes.announce(created.id, 'advisory_revised');
    return created;
  }

  list(actor: Principal, q: AdvisoryQueryDto): Promise<AdvisoryRecord[]> {
    return this.advisories.list(q, actor.role === 'manufacturer' ? actor.manufacturerId : undefined);
  }

  /**
   * Imported products still waiting for a person to map them. A manufacturer key sees its own
   * advisories' entries without other vendors (manufacturer-view.ts), filtered in the query so
   * that the total counts nothing it may not see.
   */
  unmappedPage(actor: Principal, q: UnmappedProductQueryDto) {
    const own = !seesInventory(actor);
    return this.advisories.unmappedPage(
      {
        onlyManufacturerId: own ? (actor.manufacturerId ?? NO_MANUFACTURER) : undefined,
        hideOtherVendors: own,
        vendor: q.vendor,
        advisoryId: q.advisoryId,
        reason: q.reason,
      },
      { cursor: q.cursor, limit: q.limit ?? 100 },
    );
  }

  async get(actor: Principal, id: string): Promise<AdvisoryRecord> {
    const advisory = await this.advisories.findById(id);
    if (!advisory || (actor.role === 'manufacturer' && advisory.manufacturerId !== actor.manufacturerId)) throw new NotFoundError('Advisory', id);
    return advisory;
  }

  async update(actor: Principal, id: string, dto: UpdateAdvisoryDto): Promise<AdvisoryRecord> {
    const before = await this.loadForWrite(actor, id);
    if (before.status === 'withdrawn') throw new InvalidInputError('status: a withdrawn advisory cannot be revised');
    if (dto.affected) {
      assertReadableAffected(dto.affected);
      if (!before.manufacturerId) throw new InvalidInputError('affected: map this advisory to a manufacturer first');
      await this.assertModelsOf(
        before.manufacturerId,
        dto.affected.map((a) => a.modelId),
      );
    }
    const updated = await this.advisories.transaction(async (m) => {
      const next = {
        ...(dto.title !== undefined && { title: dto.title }),
        ...(dto.cves !== undefined && { cves: dto.cves }),
        ...(dto.cvssScore !== undefined && { cvssScore: dto.cvssScore, severity: dto.severity ?? severityFromCvss(dto.cvssScore) }),
        ...(dto.cvssVector !== undefined && { cvssVector: dto.cvssVector }),
        ...(dto.severity !== undefined && { severity: dto.severity }),
        ...(dto.publishedAt !== undefined && { publishedAt: new Date(dto.publishedAt) }),
        ...(dto.remediation !== undefined && { remediation: dto.remediation }),
      };
      const revised = await this.advisories.revise(m, before, next, actor.id);
      if (dto.affected) {
        await this.advisories.replaceAffected(
          m,
          id,
          dto.affected.map((a) => ({ modelId: a.modelId, versions: a.versions, fixedVersion: a.fixedVersion ?? null, productRef: null })),
        );
        // The person wrote what it affects: its imported products no longer wait for mapping.
        await this.advisories.resolveAllUnmapped(m, id);
      }
      await this.audit.record(m, actor, { action: 'update', entityType: 'advisory', entityId: id, changes: { revision: revised.revision, ...dto } });
      return revised;
    });
    await this.changes.announce(id, 'advisory_revised');
    return updated;
  }

  async withdraw(actor: Principal, id: string): Promise<AdvisoryRecord> {
    const before = await this.loadForWrite(actor, id);
    if (before.status === 'withdrawn') return before;
    const withdrawn = await this.advisories.transaction(async (m) => {
      const advisory = await this.advisories.withdraw(m, id);
      await this.audit.record(m, actor, { action: 'withdraw', entityType: 'advisory', entityId: id, changes: null });
      return advisory;
    });
    await this.changes.announce(id, 'advisory_withdrawn');
    return withdrawn;
  }

  async revisions(actor: Principal, id: string) {
    await this.get(actor, id);
    return this.advisories.revisions(id);
  }

  /** The advisory with what it affects; the device counts only for the hospital's staff. */
  async details(actor: Principal, id: string): Promise<AdvisoryDetails> {
    const advisory = await this.get(actor, id);
    const affected = await this.advisories.affected(id);
    const unmapped = visibleUnmapped(actor, await this.advisories.openUnmapped(undefined, id));
    const exposure = seesInventory(actor) ? await this.advisories.exposureCounts(id) : null;
    const statements = await this.advisories.statements(id);
    const exploitationStatements = advisory.source === 'csaf' ? exploitStatements(await this.advisories.document(id)) : [];
    return { advisory, affected, exposure, unmapped, statements, exploitationStatements };
  }

  /**
   * Writes to an advisory a manufacturer did not submit itself are a 403 (reads of another
   * manufacturer's are a 404): the hospital's import of a document about its products, or an
   * advisory an admin entered for it, is the hospital's record, not the vendor's to withdraw.
   */
  private async loadForWrite(actor: Principal, id: string): Promise<AdvisoryRecord> {
    const advisory = await this.advisories.findById(id);
    if (!advisory) throw new NotFoundError('Advisory', id);
    this.assertOwner(actor, advisory.manufacturerId);
    if (actor.role === 'manufacturer' && advisory.submittedByManufacturerId !== actor.manufacturerId) {
      throw new ForbiddenError("id: a manufacturer key may revise or withdraw only advisories it published, not the hospital's record");
    }
    return advisory;
  }

  private assertOwner(actor: Principal, manufacturerId: string | null): void {
    if (actor.role === 'manufacturer' && actor.manufacturerId !== manufacturerId) {
      throw new ForbiddenError('manufacturerId: a manufacturer key may write only its own advisories');
    }
  }

  private async assertModelsOf(manufacturerId: string, modelIds: string[]): Promise<void> {
    const found = new Map((await this.models.findByIds(modelIds)).map((m) => [m.id, m.manufacturerId]));
    // One answer for "no such model" and "another manufacturer's model", so a manufacturer
    // cannot test which models the hospital has.
    modelIds.forEach((id, i) => {
      if (found.get(id) !== manufacturerId) throw new InvalidInputError(`affected[${i}].modelId: manufacturer ${manufacturerId} has no device model ${id}`);
    });
  }
}
