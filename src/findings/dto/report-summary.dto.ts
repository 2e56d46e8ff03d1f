import { ApiProperty } from '@nestjs/swagger';

export class ReportTotalsDto {
  @ApiProperty({ type: 'integer', description: 'Active devices with at least one open finding' }) exposedDevices!: number;
  @ApiProperty({ type: 'integer', description: 'Open findings of those devices' }) openFindings!: number;
  @ApiProperty({ type: 'integer', description: 'Active devices whose exposure cannot be decided (see /reports/exposure-unknown)' })
  exposureUnknownDevices!: number;
  @ApiProperty({ type: 'integer', description: 'Exposed devices with an open finding (no acceptance hiding it) whose CVE is in CISA KEV' })
  kevExposedDevices!: number;
}

/** Exposed devices by their SSVC decision: the highest among their open findings no acceptance hides. */
export class DecisionCountsDto {
  @ApiProperty({ type: 'integer' }) immediate!: number;
  @ApiProperty({ type: 'integer' }) out_of_cycle!: number;
  @ApiProperty({ type: 'integer' }) scheduled!: number;
  @ApiProperty({ type: 'integer' }) defer!: number;
  @ApiProperty({ type: 'integer', description: 'Every open finding hidden by a risk acceptance, or not decided yet' }) undecided!: number;
}

/** Exposed devices by the highest severity among their open findings; unknown is its own bucket. */
export class SeverityCountsDto {
  @ApiProperty({ type: 'integer' }) none!: number;
  @ApiProperty({ type: 'integer' }) low!: number;
  @ApiProperty({ type: 'integer' }) medium!: number;
  @ApiProperty({ type: 'integer' }) high!: number;
  @ApiProperty({ type: 'integer' }) critical!: number;
  @ApiProperty({ type: 'integer', description: 'No CVSS score: never counted as high or any other severity' }) unknown!: number;
}

export class ManufacturerExposureDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Baxter' }) name!: string;
  @ApiProperty({ type: 'integer' }) devices!: number;
  @ApiProperty({ type: 'integer' }) findings!: number;
}

export class ModelExposureDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Sigma Spectrum' }) name!: string;
  @ApiProperty({ example: '35700BAX3' }) modelNumber!: string;
  @ApiProperty({ example: 'Baxter' }) manufacturer!: string;
  @ApiProperty({ type: 'integer' }) devices!: number;
  @ApiProperty({ type: 'integer' }) findings!: number;
}

export class DepartmentExposureDto {
  @ApiProperty({ type: String, nullable: true, example: 'Intensive Care', description: 'null: devices with no department' }) department!: string | null;
  @ApiProperty({ type: 'integer' }) devices!: number;
  @ApiProperty({ type: 'integer' }) findings!: number;
}

export class ReportSummaryDto {
  @ApiProperty({ type: ReportTotalsDto }) totals!: ReportTotalsDto;
  @ApiProperty({ type: SeverityCountsDto }) bySeverity!: SeverityCountsDto;
  @ApiProperty({ type: DecisionCountsDto }) byDecision!: DecisionCountsDto;
  @ApiProperty({ type: [ManufacturerExposureDto], description: 'Most exposed devices first' }) byManufacturer!: ManufacturerExposureDto[];
  @ApiProperty({ type: [DepartmentExposureDto], description: 'Most exposed devices first' }) byDepartment!: DepartmentExposureDto[];
  @ApiProperty({ type: [ModelExposureDto], description: 'The ten models with most exposed devices, most first' }) byModel!: ModelExposureDto[];
}

export class ExposureDayDto {
  @ApiProperty({ example: '2026-12-07', description: 'A UTC day' }) day!: string;
  @ApiProperty({ type: 'integer', description: 'Active devices with an open finding at the end of that day (today: now)' }) devices!: number;
}

export class ExposureHistoryDto {
  @ApiProperty({ type: [ExposureDayDto], description: 'Oldest first, today last' }) days!: ExposureDayDto[];
}
