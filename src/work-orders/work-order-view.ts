import type { WorkOrderDto, WorkOrderHistoryDto } from './dto/work-order.dto';
import { isActive } from './work-order-status';
import type { WorkOrderRow } from './work-orders.repository';

/**
 * An order as its reader may see it. A manufacturer gets what the validation request needs and
 * nothing of the hospital: no department or location (they locate patients), no people, no
 * notes, no history.
 */
export function toWorkOrderDto(row: WorkOrderRow, forManufacturer: boolean, now: Date, history?: WorkOrderHistoryDto[]): WorkOrderDto {
  const common = {
    id: row.id,
    deviceId: row.deviceId,
    modelId: row.modelId,
    serialNumber: row.serialNumber,
    targetFirmware: row.targetFirmware,
    kind: row.targetFirmware === null ? ('mitigation' as const) : ('update' as const),
    decision: row.decision,
    dueAt: row.dueAt,
    overdue: isActive(row.status) && row.dueAt !== null && row.dueAt < now,
    status: row.status,
    manufacturerValidated: row.manufacturerValidated,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
  if (forManufacturer) return common;
  return {
    ...common,
    department: row.department,
    location: row.location,
    findingIds: row.findingIds,
    statusReason: row.statusReason,
    origin: row.origin,
    assigneeUserId: row.assigneeUserId,
    assigneeName: row.assigneeName,
    maintenanceWindow: row.windowStart && row.windowEnd ? { start: row.windowStart, end: row.windowEnd } : null,
    clinicalApproval: row.clinicalApproval,
    notes: row.notes,
    evidence: row.evidence,
    detectedAt: row.detectedAt,
    doneAt: row.doneAt,
    ...(history ? { history } : {}),
  };
}
