import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DECISIONS, Decision } from '../decision';
import { WORK_ORDER_STATUSES, WorkOrderStatus } from '../work-order-status';

export class MaintenanceWindowDto {
  @ApiProperty({ example: '2026-03-02T22:00:00Z' }) start!: Date;
  @ApiProperty({ example: '2026-03-03T02:00:00Z' }) end!: Date;
}

export class ClinicalApprovalDto {
  @ApiProperty({ description: 'Who signed off (user or key name)', example: 'Dr. A. Chen' }) by!: string;
  @ApiProperty({ example: '2026-03-01T09:12:00Z' }) at!: string;
  @ApiProperty({ nullable: true, type: String, example: 'ICU pumps may go down 22:00-02:00' }) note!: string | null;
}

export class ManufacturerValidationDto {
  @ApiProperty({ description: "The manufacturer's validation reference", example: 'VAL-2026-0142' }) reference!: string;
  @ApiProperty({ description: 'Who recorded it' }) by!: string;
  @ApiProperty({ example: '2026-03-01T09:12:00Z' }) at!: string;
}

export class WorkOrderEvidenceDto {
  @ApiProperty({ enum: ['heartbeat', 'person'], description: "heartbeat: the device's own report; person: a firmware edit or import" })
  source!: 'heartbeat' | 'person';
  @ApiProperty({ nullable: true, type: String, example: '2.4.1' }) firmware!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "The heartbeat's sentAt", example: '2026-03-03T01:14:09Z' }) sentAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the firmware change was recorded' }) changedAt!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "Who edited the firmware (a person's change)" }) actor!: string | null;
}

export class WorkOrderHistoryDto {
  @ApiProperty() at!: Date;
  @ApiProperty({ example: 'system' }) actorId!: string;
  @ApiProperty({ example: 'system' }) actorName!: string;
  @ApiProperty({ example: 'verified', description: 'created, findings_joined, updated, verified, reopened' }) action!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) changes!: Record<string, unknown>;
}

/**
 * One device's remediation. A manufacturer key sees only id, deviceId, modelId, serialNumber,
 * targetFirmware, kind, decision, dueAt, overdue, status, manufacturerValidated, createdAt and
 * updatedAt: nothing of the hospital's locations, people or notes.
 */
export class WorkOrderDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty({ example: 'SN-0042-7781' }) serialNumber!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Intensive Care' }) department?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Building A / ICU / Bed 12' }) location?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'The findings the order covers (open or resolved since)', example: ['1042'] }) findingIds?: string[];
  @ApiProperty({ nullable: true, type: String, example: '2.4.1', description: "The device's minimum safe version; null: no fix known, a mitigation order" })
  targetFirmware!: string | null;
  @ApiProperty({ enum: ['update', 'mitigation'] }) kind!: 'update' | 'mitigation';
  @ApiProperty({ enum: DECISIONS }) decision!: Decision;
  @ApiProperty({ nullable: true, type: Date }) dueAt!: Date | null;
  @ApiProperty({ description: 'Active and past its due date' }) overdue!: boolean;
  @ApiProperty({ enum: WORK_ORDER_STATUSES }) status!: WorkOrderStatus;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why it was cancelled, risk-accepted or reopened' }) statusReason?: string | null;
  @ApiPropertyOptional({ enum: ['auto', 'manual'] }) origin?: 'auto' | 'manual';
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) assigneeUserId?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) assigneeName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: MaintenanceWindowDto }) maintenanceWindow?: MaintenanceWindowDto | null;
  @ApiPropertyOptional({ type: MaintenanceWindowDto, description: "An active order without a window: the next slot of its department's standing window" })
  proposedWindow?: MaintenanceWindowDto;
  @ApiPropertyOptional({ nullable: true, type: ClinicalApprovalDto }) clinicalApproval?: ClinicalApprovalDto | null;
  @ApiProperty({ nullable: true, type: ManufacturerValidationDto }) manufacturerValidated!: ManufacturerValidationDto | null;
  @ApiPropertyOptional({ nullable: true, type: String }) notes?: string | null;
  @ApiPropertyOptional({ nullable: true, type: WorkOrderEvidenceDto, description: 'What proved the fix (set when done)' })
  evidence?: WorkOrderEvidenceDto | null;
  @ApiPropertyOptional({ description: 'Earliest detection among the covered findings' }) detectedAt?: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) doneAt?: Date | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
  @ApiPropertyOptional({ type: [WorkOrderHistoryDto], description: 'Who changed what, when (single-order reads, not for manufacturer keys)' })
  history?: WorkOrderHistoryDto[];
}

export class WorkOrderPageDto {
  @ApiProperty({ type: [WorkOrderDto] }) items!: WorkOrderDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor!: string | null;
}

export class SkippedDeviceDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ enum: ['no_open_findings', 'decommissioned'] }) reason!: 'no_open_findings' | 'decommissioned';
}

export class ExistingOrderDto {
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiProperty({ format: 'uuid' }) workOrderId!: string;
}

export class CreatedWorkOrdersDto {
  @ApiProperty({ type: [WorkOrderDto] }) created!: WorkOrderDto[];
  @ApiProperty({ type: [ExistingOrderDto], description: 'Devices that already had an active order (their open findings joined it)' })
  existing!: ExistingOrderDto[];
  @ApiProperty({ type: [SkippedDeviceDto] }) skipped!: SkippedDeviceDto[];
}

export class WorkOrderPolicyDto {
  @ApiProperty({ enum: DECISIONS, isArray: true, example: ['immediate', 'out_of_cycle'], description: 'Decisions that open a work order by themselves' })
  autoOpenDecisions!: Decision[];
  @ApiProperty({ nullable: true, type: String }) updatedBy!: string | null;
  @ApiProperty() updatedAt!: Date;
}
