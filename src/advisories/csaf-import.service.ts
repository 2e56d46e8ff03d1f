import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ForbiddenError, InvalidInputError } from '../common/domain-errors';
import { compareVersions } from '../firmware';
import { FindingsEngine } from '../findings/findings.engine';
import { Severity, severityFromCvss } from '../findings/severity';
import { AdvisoryFields } from './advisory.types';
import { AdvisoriesRepository } from './advisories.repository';
import { CsafAdvisory, readCsaf, validateCsaf } from './csaf';
import { mapCsafProducts, MappedProduct, UnmappedProduct } from './csaf-product-mapper';

export type CsafImportStatus = 'created' | 'updated' | 'unchanged' | 'ignored_older';

export interface CsafImportResult {
  status: CsafImportStatus;
  advisoryId: string;
  trackingId: string;
  revision: string;
  affected: MappedProduct[];
  unmappedProducts: UnmappedProduct[];
  findings: { opened: number; resolved: number; exposureUnknown: number };
}

const MAX_ERRORS_IN_MESSAGE = 3;

@Injectable()
export class CsafImportService {
  constructor(
    private readonly advisories: AdvisoriesRepository,
    private readonly findings: FindingsEngine,
    private readonly audit: AuditService,
  ) {}

  async import(actor: Principal, document: unknown): Promise<CsafImportResult> {
    const validation = await validateCsaf(document);
    if (!validation.valid) {
      const shown = validation.errors.slice(0, MAX_ERRORS_IN_MESSAGE).map((e) => `${e.path || '/'}: ${e.message}`);
      const more = validation.errors.length > MAX_ERRORS_IN_MESSAGE ? ` (+${validation.errors.length - MAX_ERRORS_IN_MESSAGE} more)` : '';
      throw new InvalidInputError(`document: not a valid CSAF 2.0 document: ${shown.join('; ')}${more}`, { errors: validation.errors });
    }
    const csaf = readCsaf(document as Parameters<typeof readCsaf>[0]);

    const outcome = await this.advisories.transaction(async (m) => {
      const existing = await this.advisories.findByTrackingId(m, csaf.trackingId);
      if (existing && actor.role === 'manufacturer' && existing.manufacturerId !== actor.manufacturerId) {
        throw new ForbiddenError('document: this advisory belongs to another manufacturer');
      }
      if (existing) {
        const order = compareRevisions(csaf.revision, existing.sourceRevision);
        if (order <= 0) return { status: (order === 0 ? 'unchanged' : 'ignored_older') as CsafImportStatus, advisory: existing, mapping: null };
      }
      const { manufacturers, models } = await this.advisories.catalog(m);
      const requiredOwner = actor.role === 'manufacturer' ? actor.manufacturerId : (existing?.manufacturerId ?? undefined);
      const mapping = mapCsafProducts(csaf, manufacturers, models, requiredOwner);
      if (actor.role === 'manufacturer' && csaf.products.length && mapping.unmapped.every((u) => u.reason === 'vendor_mismatch' || u.reason === 'vendor_unknown') && !mapping.affected.length) {
        throw new ForbiddenError("document: none of its products is this manufacturer's");
      }
      const fields = advisoryFields(csaf);
      const advisory = existing
        ? await this.advisories.revise(m, existing, { ...fields, manufacturerId: mapping.ownerId, sourceRevision: csaf.revision, document }, actor.id)
        : await this.advisories.insert(m, { ...fields, manufacturerId: mapping.ownerId, source: 'csaf', trackingId: csaf.trackingId, sourceRevision: csaf.revision, document });
      await this.store(m, advisory.id, mapping.affected, mapping.unmapped);
      await this.audit.record(m, actor, {
        action: existing ? 'update' : 'create',
        entityType: 'advisory',
        entityId: advisory.id,
        changes: { source: 'csaf', trackingId: csaf.trackingId, revision: csaf.revision, affected: mapping.affected.length, unmapped: mapping.unmapped.length },
      });
      return { status: (existing ? 'updated' : 'created') as CsafImportStatus, advisory, mapping };
    });

    const diff = outcome.mapping ? await this.findings.recomputeAdvisory(outcome.advisory.id, 'advisory_revised') : { opened: 0, resolved: 0, unknown: 0 };
    const unmapped = outcome.mapping?.unmapped ?? (await this.advisories.openUnmapped(undefined, outcome.advisory.id));
    return {
      status: outcome.status,
      advisoryId: outcome.advisory.id,
      trackingId: csaf.trackingId,
      revision: csaf.revision,
      affected: outcome.mapping?.affected ?? (await this.advisories.affected(outcome.advisory.id)).map((a) => ({ ...a, productRef: a.productRef ?? '' })),
      unmappedProducts: unmapped.map(({ productRef, vendor, productName, versionExpression, fixedVersion, reason, detail }) => ({ productRef, vendor, productName, versionExpression, fixedVersion, reason, detail })),
      findings: { opened: diff.opened, resolved: diff.resolved, exposureUnknown: diff.unknown },
    };
  }

  /**
   * Retries the products of stored CSAF advisories that did not map, after the catalog
   * changed (an alias added, a model registered). Returns the advisories that gained products.
   */
  async remapUnmapped(): Promise<string[]> {
    const changed: string[] = [];
    const advisoryIds = await this.advisories.advisoriesWithOpenUnmapped();
    if (!advisoryIds.length) return changed;
    // One catalog for the whole pass: a catalog change during it triggers another pass.
    const { manufacturers, models } = await this.advisories.catalog();
    for (const advisoryId of advisoryIds) {
      const gained = await this.advisories.transaction(async (m) => {
        const stored = await this.advisories.findWithDocument(m, advisoryId);
        if (!stored?.document) return false;
        const { advisory, document } = stored;
        const mapping = mapCsafProducts(readCsaf(document as Parameters<typeof readCsaf>[0]), manufacturers, models, advisory.manufacturerId ?? undefined);
        const before = await this.advisories.affected(advisoryId, m);
        if (mapping.affected.length <= before.length && mapping.ownerId === advisory.manufacturerId) return false;
        if (mapping.ownerId !== advisory.manufacturerId) await this.advisories.setOwner(m, advisoryId, mapping.ownerId);
        await this.advisories.markUnmappedResolved(m, advisoryId, mapping.affected.map((a) => a.productRef));
        await this.store(m, advisoryId, mapping.affected, mapping.unmapped);
        return true;
      });
      if (gained) {
        await this.findings.recomputeAdvisory(advisoryId, 'advisory_revised');
        changed.push(advisoryId);
      }
    }
    return changed;
  }

  private async store(m: EntityManager, advisoryId: string, affected: MappedProduct[], unmapped: UnmappedProduct[]): Promise<void> {
    await this.advisories.replaceAffected(m, advisoryId, affected);
    await this.advisories.replaceUnmapped(m, advisoryId, unmapped);
  }
}

function advisoryFields(csaf: CsafAdvisory): AdvisoryFields {
  return {
    title: csaf.title.slice(0, 500),
    cves: csaf.cves,
    cvssScore: csaf.cvssScore ?? null,
    cvssVector: csaf.cvssVector ?? null,
    severity: (csaf.severity as Severity | undefined) ?? severityFromCvss(csaf.cvssScore),
    publishedAt: csaf.initialReleaseDate ? new Date(csaf.initialReleaseDate) : null,
    remediation: csaf.remediationText || null,
  };
}

/** CSAF tracking.version is an integer or semantic version; both order as versions. */
function compareRevisions(incoming: string, stored: string | null): number {
  if (!stored) return 1;
  return compareVersions(incoming, stored) ?? incoming.localeCompare(stored, 'en', { numeric: true });
}
