/**
 * A work order as an HL7 FHIR R4 Task, and a page of them as a searchset Bundle. Pure. Every
 * resource built here is checked by the R4 validator in tests.
 */
import type { Bundle, BundleEntry, BundleLink, Task } from '@medplum/fhirtypes';
import type { Decision } from '../decision';
import type { WorkOrderDto } from '../dto/work-order.dto';
import type { WorkOrderStatus } from '../work-order-status';

/** Task.status (R4 task-status, required binding). Verifying is still the performer's work; a risk accepted is work not done. */
const TASK_STATUS: Record<WorkOrderStatus, NonNullable<Task['status']>> = {
  open: 'requested',
  scheduled: 'accepted',
  in_progress: 'in-progress',
  verifying: 'in-progress',
  done: 'completed',
  cancelled: 'cancelled',
  risk_accepted: 'cancelled',
};

/** Task.priority (R4 request-priority): the SSVC decision's urgency. Defer has no hurry: routine. */
const TASK_PRIORITY: Record<Decision, NonNullable<Task['priority']>> = {
  immediate: 'stat',
  out_of_cycle: 'asap',
  scheduled: 'routine',
  defer: 'routine',
};

export function workOrderToTask(o: WorkOrderDto): Task {
  const task: Task = {
    resourceType: 'Task',
    id: o.id,
    meta: { lastUpdated: o.updatedAt.toISOString() },
    status: TASK_STATUS[o.status],
    // Our own status, which FHIR's status folds (verifying into in-progress, risk_accepted into cancelled).
    businessStatus: { text: o.status },
    intent: 'order',
    priority: TASK_PRIORITY[o.decision],
    code: { text: o.targetFirmware ? 'Firmware update' : 'Mitigation' },
    description: o.targetFirmware ? `Update the device firmware to ${o.targetFirmware} or later` : 'No fixed firmware known: mitigate or replace the device',
    focus: { reference: `Device/${o.deviceId}` },
    authoredOn: o.createdAt.toISOString(),
    lastModified: o.updatedAt.toISOString(),
  };
  if (o.statusReason) task.statusReason = { text: o.statusReason };
  if (o.assigneeUserId) task.owner = { identifier: { value: o.assigneeUserId }, display: o.assigneeName ?? undefined };
  if (o.maintenanceWindow) task.executionPeriod = { start: o.maintenanceWindow.start.toISOString(), end: o.maintenanceWindow.end.toISOString() };
  if (o.dueAt) task.restriction = { period: { end: o.dueAt.toISOString() } };
  if (o.notes) task.note = [{ text: o.notes }];
  if (o.status === 'done' && o.evidence) {
    task.output = [{ type: { text: `Verified firmware (${o.evidence.source})` }, valueString: o.evidence.firmware ?? '' }];
  }
  return task;
}

export interface TaskSearchset {
  baseUrl: string;
  orders: WorkOrderDto[];
  selfUrl: string;
  nextUrl?: string;
}

export function taskSearchset(input: TaskSearchset): Bundle<Task> {
  const link: BundleLink[] = [{ relation: 'self', url: input.selfUrl }];
  if (input.nextUrl) link.push({ relation: 'next', url: input.nextUrl });
  const entry: BundleEntry<Task>[] = input.orders.map((o) => ({
    fullUrl: `${input.baseUrl}/Task/${o.id}`,
    resource: workOrderToTask(o),
    search: { mode: 'match' },
  }));
  return { resourceType: 'Bundle', type: 'searchset', link, entry };
}
