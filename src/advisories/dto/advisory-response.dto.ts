import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SEVERITIES, Severity } from '../severity';
import { AdvisoryDetails } from '../advisory-details';
import { AdvisoryRecord, AffectedRecord } from '../advisory.types';

export class AffectedResponseDto {
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ example: '<2.4.1' }) versions!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2.4.1' }) fixedVersion!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'CSAF product id it came from' }) productRef!: string | null;
}

export class AdvisoryResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null only for an imported document whose vendor matches no manufacturer yet',
  })
  manufacturerId!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['manual', 'csaf'] }) source!: 'manual' | 'csaf';
  @ApiPropertyOptional({ type: String, nullable: true, example: 'ICSMA-21-012-01' }) trackingId!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://www.cisa.gov',
    description: 'CSAF document.publisher.namespace (lower-case, no trailing slash): with trackingId, who the document is',
  })
  publisherNamespace!: string | null;
  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      "The manufacturer whose key published it; null when the hospital's staff entered or imported it. A manufacturer revises and withdraws only its own.",
  })
  submittedByManufacturerId!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'CSAF tracking.version' }) sourceRevision!: string | null;
  @ApiProperty({ type: [String], example: ['CVE-2020-12040'] }) cves!: string[];
  @ApiPropertyOptional({ type: Number, nullable: true, example: 9.8 }) cvssScore!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) cvssVector!: string | null;
  @ApiProperty({ enum: SEVERITIES }) severity!: Severity;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) publishedAt!: Date | null;
  @ApiPropertyOptional({ type: String, nullable: true }) remediation!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: ['none', 'public_poc', 'active'],
    example: 'none',
    description:
      "What the advisory's CSAF document says of exploitation (threats of category exploit_status, else CISA's notes), the highest over its vulnerabilities; null when it says nothing. Its words: exploitationStatements on GET /advisories/{id}",
  })
  exploitation!: 'none' | 'public_poc' | 'active' | null;
  @ApiProperty({ enum: ['active', 'withdrawn'] }) status!: 'active' | 'withdrawn';
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) withdrawnAt!: Date | null;
  @ApiProperty({ description: 'Our revision counter: every PATCH or newer import adds one' }) revision!: number;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class UnmappedProductDto {
  @ApiProperty() productRef!: string;
  @ApiProperty() vendor!: string;
  @ApiProperty() productName!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) versionExpression!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) fixedVersion!: string | null;
  @ApiProperty({ enum: ['vendor_unknown', 'vendor_mismatch', 'product_unknown', 'version_unreadable'] }) reason!: string;
  @ApiProperty({ example: 'no model of this manufacturer is named, numbered or aliased "Alaris PC Unit"' }) detail!: string;
}

export class UnmappedProductListItemDto extends UnmappedProductDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'uuid' }) advisoryId!: string;
  @ApiProperty() advisoryTitle!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) trackingId!: string | null;
  @ApiProperty() createdAt!: Date;
}

export class VexReasonDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: 'CVE-2024-0001', description: 'The vulnerability the reason is given for' }) cve!:
    string | null;
  @ApiProperty({ type: [String], example: ['vulnerable_code_not_present'], description: "The document's flags (CSAF justification labels)" })
  flags!: string[];
  @ApiProperty({ type: [String], example: ['The affected library is not shipped in this model.'], description: 'Threats of category impact for this product' })
  impacts!: string[];
}

export class ProductStatementDto {
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ example: '*', description: 'The versions the statement is about' }) versions!: string;
  @ApiProperty({
    enum: ['known_not_affected', 'under_investigation'],
    description:
      'known_not_affected: no finding for devices of this model in these versions; under_investigation: they are listed at /reports/exposure-unknown',
  })
  status!: string;
  @ApiProperty({ description: 'CSAF product id it came from' }) productRef!: string;
  @ApiProperty({ type: [VexReasonDto], description: "Why, in the document's words; empty when it gives no reason" }) reasons!: VexReasonDto[];
}

export class ExploitStatementDto {
  @ApiProperty({
    enum: ['threat', 'note'],
    description: 'threat: vulnerabilities[].threats of category exploit_status; note: a sentence of the document notes',
  })
  source!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: null }) cve!: string | null;
  @ApiProperty({ example: 'No known public exploits specifically target these vulnerabilities.' }) text!: string;
  @ApiProperty({ enum: ['none', 'public_poc', 'active'], description: 'How the text was read' }) reads!: string;
}

export class AdvisoryDetailsDto extends AdvisoryResponseDto {
  @ApiProperty({ type: [AffectedResponseDto] }) affected!: AffectedResponseDto[];
  @ApiPropertyOptional({ description: 'Active devices exposed to it now (open findings); absent for a manufacturer' }) affectedDevices?: number;
  @ApiPropertyOptional({ description: 'Devices on an affected model whose exposure cannot be decided; absent for a manufacturer' })
  exposureUnknownDevices?: number;
  @ApiProperty({ type: [UnmappedProductDto] }) unmappedProducts!: UnmappedProductDto[];
  @ApiProperty({ type: [ProductStatementDto], description: 'VEX: mapped products the document says are not affected or under investigation, and why' })
  productStatements!: ProductStatementDto[];
  @ApiProperty({ type: [ExploitStatementDto], description: "The document's words behind exploitation" })
  exploitationStatements!: ExploitStatementDto[];
}

export class CsafImportFindingsDto {
  @ApiProperty({ type: 'integer', example: 12 }) opened!: number;
  @ApiProperty({ type: 'integer', example: 0 }) resolved!: number;
  @ApiProperty({ type: 'integer', example: 3 }) exposureUnknown!: number;
}

export class CsafImportResultDto {
  @ApiProperty({ enum: ['created', 'updated', 'unchanged', 'ignored_older'] }) status!: string;
  @ApiProperty({ format: 'uuid' }) advisoryId!: string;
  @ApiProperty({ example: 'ICSMA-21-012-01' }) trackingId!: string;
  @ApiProperty({ example: 'https://www.cisa.gov' }) publisherNamespace!: string;
  @ApiProperty({ example: '1' }) revision!: string;
  @ApiProperty({ type: [AffectedResponseDto] }) affected!: AffectedResponseDto[];
  @ApiProperty({ type: [UnmappedProductDto], description: 'Products that map to no model: add an alias or model and they are mapped automatically' })
  unmappedProducts!: UnmappedProductDto[];
  @ApiPropertyOptional({ type: CsafImportFindingsDto, description: 'Absent for a manufacturer' })
  findings?: CsafImportFindingsDto;
}

export class AdvisoryRevisionDto {
  @ApiProperty() revision!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The advisory as it was at that revision, with its affected list' })
  snapshot!: unknown;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ type: String, nullable: true }) actorId!: string | null;
}

export function toAdvisoryResponse(a: AdvisoryRecord): AdvisoryResponseDto {
  return { ...a };
}

/** The device counts appear only when the service computed them (never for a manufacturer). */
export function toAdvisoryDetails(d: AdvisoryDetails): AdvisoryDetailsDto {
  return {
    ...toAdvisoryResponse(d.advisory),
    affected: d.affected.map(toAffectedResponse),
    ...(d.exposure && { affectedDevices: d.exposure.openFindings, exposureUnknownDevices: d.exposure.exposureUnknown }),
    unmappedProducts: d.unmapped,
    productStatements: d.statements.map((x) => ({ modelId: x.modelId, versions: x.versions, status: x.status, productRef: x.productRef, reasons: x.reasons })),
    exploitationStatements: d.exploitationStatements,
  };
}

export function toAffectedResponse(a: AffectedRecord): AffectedResponseDto {
  return { modelId: a.modelId, versions: a.versions, fixedVersion: a.fixedVersion, productRef: a.productRef };
}
