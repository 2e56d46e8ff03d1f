import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../auth/role';
import { ConflictError, ForbiddenError, InvalidInputError } from '../common/domain-errors';
import { uniqueViolation } from '../database/pg-errors';
import { compareVersions } from '../firmware';
import { AdvisoryChanges } from './advisory-changes';
import { AdvisoryFields, AffectedRecord } from './advisory.types';
import { AdvisoriesRepository, CsafIdentity } from './advisories.repository';
import { CsafAdvisory, exploitationOf, exploitStatements, readCsaf, validateCsaf } from './csaf';
import { CatalogManufacturer, mapCsafProducts, MappedProduct, MappedStatement, productsNotOf, UnmappedProduct } from './csaf-product-mapper';
import { seesInventory, visibleUnmapped } from './manufacturer-view';
import { ProductMappingsRepository } from './product-mappings.repository';
import { Severity, severityFromCvss } from './severity';

export type CsafImportStatus = 'created' | 'updated' | 'unchanged' | 'ignored_older';

export interface CsafImportResult {
  status: CsafImportStatus;
  advisoryId: string;
  trackingId: string;
  publisherNamespace: string;
  revision: string;
  affected: MappedProduct[];
  unmappedProducts: UnmappedProduct[];
  /** Absent for a manufacturer: counts of the hospital's devices. */
  findings?: { opened: number; resolved: number; exposureUnknown: number };
}

const MAX_ERRORS_IN_MESSAGE = 3;

@Injectable()
export class CsafImportService {
  constructor(
    private readonly advisories: AdvisoriesRepository,
    private readonly changes: AdvisoryChanges,
    private readonly audit: AuditService,
    private readonly productMappings: ProductMappingsRepository,
  ) {}

  async import(actor: Principal, document: unknown): Promise<CsafImportResult> {
    const validation = await validateCsaf(document);
    if (!validation.valid) {
      const shown = validation.errors.slice(0, MAX_ERRORS_IN_MESSAGE).map((e) => `${e.path || '/'}: ${e.message}`);
      const more = validation.errors.length > MAX_ERRORS_IN_MESSAGE ? ` (+${validation.errors.length - MAX_ERRORS_IN_MESSAGE} more)` : '';
      throw new InvalidInputError(`document: not a valid CSAF 2.0 document: ${shown.join('; ')}${more}`, { errors: validation.errors });
    }
    const csaf = readCsaf(document as Parameters<typeof readCsaf>[0]);

    const submittedBy = actor.role === 'manufacturer' ? (actor.manufacturerId ?? null) : null;
    const identity: CsafIdentity = { publisherNamespace: csaf.publisherNamespace, trackingId: csaf.trackingId, submittedByManufacturerId: submittedBy };

    const outcome = await this.advisories
      .transaction(async (m) => {
        const { manufacturers, models } = await this.advisories.catalog(m);
        if (submittedBy)
          assertOnlyOwnProducts(
            csaf,
            manufacturers.find((x) => x.id === submittedBy),
          );
        const existing = await this.advisories.findByIdentity(m, identity);
        if (existing) {
          const order = compareRevisions(csaf.revision, existing.sourceRevision);
          if (order <= 0) return { status: (order === 0 ? 'unchanged' : 'ignored_older') as CsafImportStatus, advisory: existing, mapping: null };
        }
        const requiredOwner = submittedBy ?? existing?.manufacturerId ?? undefined;
        const mapping = mapCsafProducts(csaf, manufacturers, models, requiredOwner, await this.productMappings.forMapper(m));
        const fields = { ...advisoryFields(csaf), exploitation: exploitationOf(exploitStatements(document)) };
        const advisory = existing
          ? await this.advisories.revise(m, existing, { ...fields, manufacturerId: mapping.ownerId, sourceRevision: csaf.revision, document }, actor.id)
          : await this.advisories.insert(m, {
              ...fields,
              manufacturerId: mapping.ownerId,
              source: 'csaf',
              ...identity,
              sourceRevision: csaf.revision,
              document,
            });
        await this.store(m, advisory.id, mapping);
        await this.audit.record(m, actor, {
          action: existing ? 'update' : 'create',
          entityType: 'advisory',
          entityId: advisory.id,
          changes: {
            source: 'csaf',
            publisherNamespace: csaf.publisherNamespace,
            trackingId: csaf.trackingId,
            revision: csaf.revision,
            affected: mapping.affected.length,
            unmapped: mapping.unmapped.length,
            statements: mapping.statements.length,
            exploitation: fields.exploitation,
          },
        });
        return { status: (existing ? 'updated' : 'created') as CsafImportStatus, advisory, mapping };
      })
      .catch((e: unknown) => {
        // Two first imports of one identity at once: the unique index lets one in.
        if (uniqueViolation(e) === 'advisories_identity')
          throw new ConflictError('document: this advisory is being imported by another request; import it again');
        throw e;
      });

    const diff = outcome.mapping ? await this.changes.announce(outcome.advisory.id, 'advisory_revised') : { opened: 0, resolved: 0, unknown: 0 };
    if (outcome.mapping) await this.changes.priorityInputsChanged([outcome.advisory.id]);
    const unmapped = outcome.mapping?.unmapped ?? (await this.advisories.openUnmapped(undefined, outcome.advisory.id));
    return {
      status: outcome.status,
      advisoryId: outcome.advisory.id,
      trackingId: csaf.trackingId,
      publisherNamespace: csaf.publisherNamespace,
      revision: csaf.revision,
      affected: outcome.mapping?.affected ?? (await this.advisories.affected(outcome.advisory.id)).map((a) => ({ ...a, productRef: a.productRef ?? '' })),
      unmappedProducts: visibleUnmapped(actor, unmapped).map(({ productRef, vendor, productName, versionExpression, fixedVersion, reason, detail }) => ({
        productRef,
        vendor,
        productName,
        versionExpression,
        fixedVersion,
        reason,
        detail,
      })),
      ...(seesInventory(actor) && { findings: { opened: diff.opened, resolved: diff.resolved, exposureUnknown: diff.unknown } }),
    };
  }

  /**
   * Retries the products of stored CSAF advisories that did not map, after the catalog
   * changed (an alias added, a model registered). Returns the advisories that gained products.
   * With everyAdvisory (a person re-mapped a product to another model), every active imported
   * advisory is read again and rewritten wherever its mapping differs.
   */
  async remapUnmapped(everyAdvisory = false): Promise<string[]> {
    const changed: string[] = [];
    const advisoryIds = everyAdvisory ? await this.advisories.activeCsafAdvisories() : await this.advisories.advisoriesWithOpenUnmapped();
    if (!advisoryIds.length) return changed;
    // One catalog for the whole pass: a catalog change during it triggers another pass.
    const { manufacturers, models } = await this.advisories.catalog();
    const remembered = await this.productMappings.forMapper();
    for (const advisoryId of advisoryIds) {
      const gained = await this.advisories.transaction(async (m) => {
        const stored = await this.advisories.findWithDocument(m, advisoryId);
        if (!stored?.document) return false;
        const { advisory, document } = stored;
        const mapping = mapCsafProducts(
          readCsaf(document as Parameters<typeof readCsaf>[0]),
          manufacturers,
          models,
          advisory.manufacturerId ?? undefined,
          remembered,
        );
        const before = await this.advisories.affected(advisoryId, m);
        const sameStatements = sameStatementSet(await this.advisories.statements(advisoryId, m), mapping.statements);
        const unchanged = (everyAdvisory ? sameAffected(before, mapping.affected) : mapping.affected.length <= before.length) && sameStatements;
        if (unchanged && mapping.ownerId === advisory.manufacturerId) return false;
        if (mapping.ownerId !== advisory.manufacturerId) await this.advisories.setOwner(m, advisoryId, mapping.ownerId);
        await this.advisories.markUnmappedResolved(
          m,
          advisoryId,
          mapping.affected.map((a) => a.productRef),
        );
        await this.store(m, advisoryId, mapping);
        return true;
      });
      if (gained) {
        await this.changes.announce(advisoryId, 'advisory_revised');
        changed.push(advisoryId);
      }
    }
    return changed;
  }

  private async store(
    m: EntityManager,
    advisoryId: string,
    mapping: { affected: MappedProduct[]; unmapped: UnmappedProduct[]; statements: MappedStatement[] },
  ): Promise<void> {
    await this.advisories.replaceAffected(m, advisoryId, mapping.affected);
    await this.advisories.replaceUnmapped(m, advisoryId, mapping.unmapped);
    await this.advisories.replaceStatements(m, advisoryId, mapping.statements);
  }
}

function sameAffected(before: AffectedRecord[], after: MappedProduct[]): boolean {
  const key = (a: Pick<AffectedRecord, 'modelId' | 'versions' | 'fixedVersion' | 'productRef'>) =>
    JSON.stringify([a.productRef, a.modelId, a.versions, a.fixedVersion]);
  const was = new Set(before.map(key));
  return before.length === after.length && after.every((a) => was.has(key(a)));
}

function sameStatementSet(before: MappedStatement[], after: MappedStatement[]): boolean {
  const key = (x: MappedStatement) => JSON.stringify([x.productRef, x.modelId, x.versions, x.status]);
  const was = new Set(before.map(key));
  return before.length === after.length && after.every((x) => was.has(key(x)));
}

/** A manufacturer's document names only its own products (see productsNotOf). */
function assertOnlyOwnProducts(csaf: CsafAdvisory, own: CatalogManufacturer | undefined): void {
  const foreign = own ? productsNotOf(csaf, own) : csaf.products;
  if (foreign.length || !csaf.products.length) {
    throw new ForbiddenError(
      'document: a manufacturer key may import only documents whose every product sits under a vendor branch named as this manufacturer (its name or an alias the hospital gave it)',
    );
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
