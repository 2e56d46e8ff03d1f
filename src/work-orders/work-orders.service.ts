import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../access/role';
import { AuditService } from '../audit/audit.service';
import { toSafeCsv } from '../common/csv-safe';
import { cursorFields, decodeCursor, encodeCursor } from '../common/cursor-codec';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../common/domain-errors';
import { CreatedWorkOrdersDto, WorkOrderDto, WorkOrderPageDto, WorkOrderPolicyDto } from './dto/work-order.dto';
import { CreateWorkOrdersDto, UpdateWorkOrderDto, UpdateWorkOrderPolicyDto, WorkOrderQueryDto } from './dto/work-order-input.dto';
import { maintenanceCalendar } from './maintenance-calendar';
import { toWorkOrderDto } from './work-order-view';
import { ACTIVE_STATUSES, personMoveRefusal } from './work-order-status';
import { HistoryActor, WorkOrderFilter, WorkOrderPatch, WorkOrderRow, WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersPlanner } from './work-orders-planner.service';
import { RecurringWindowsService } from './recurring-windows.service';
import { isActive } from './work-order-status';

const DEFAULT_PAGE = 100;
/** Windows in one calendar feed, at most: more than any ward's year of maintenance. */
const CALENDAR_LIMIT = 10_000;
const CURSOR = [cursorFields.instant, cursorFields.uuid];

const historyActor = (p: Principal): HistoryActor => ({ id: p.id, name: p.name });
const isManufacturer = (p: Principal) => p.role === 'manufacturer';

/** Work orders as people use them: create by hand, list, read, and move along. */
@Injectable()
export class WorkOrdersService {
  constructor(
    private readonly repository: WorkOrdersRepository,
    private readonly planner: WorkOrdersPlanner,
    private readonly audit: AuditService,
    private readonly recurring: RecurringWindowsService,
  ) {}

  async create(actor: Principal, dto: CreateWorkOrdersDto): Promise<CreatedWorkOrdersDto> {
    const targets = [dto.deviceId, dto.deviceIds, dto.modelId].filter((v) => v !== undefined).length;
    if (targets !== 1) throw new InvalidInputError('deviceId, deviceIds, modelId: give exactly one of them');
    const window = windowOf(dto.maintenanceWindow);
    const now = new Date();
    const created = await this.repository.planning(async (m) => {
      if (dto.assigneeUserId) await this.checkAssignee(m, dto.assigneeUserId);
      const deviceIds = await this.targetDevices(m, dto);
      const found = await this.repository.existingDevices(m, deviceIds);
      const known = new Set(found.map((d) => d.id));
      const unknown = deviceIds.find((id) => !known.has(id));
      if (unknown) {
        if (dto.deviceId) throw new NotFoundError('Device', unknown);
        throw new InvalidInputError(`deviceIds: device ${unknown} not found`);
      }
      const live = found.filter((d) => !d.decommissioned).map((d) => d.id);
      const plan = await this.planner.planIn(m, live, true, historyActor(actor), 'manual');
      const fields: WorkOrderPatch = { assigneeUserId: dto.assigneeUserId, windowStart: window?.start, windowEnd: window?.end, notes: dto.notes };
      if (plan.created.length) await this.repository.updateMany(m, plan.created, fields);
      const active = await this.repository.activeOrderIds(m, live);
      if (plan.created.length) {
        await this.audit.record(m, actor, {
          action: 'create',
          entityType: 'work_order',
          entityId: plan.created.length === 1 ? plan.created[0] : null,
          changes: { ids: plan.created, ...dto },
        });
      }
      const createdSet = new Set(plan.created);
      return {
        created: plan.created,
        existing: [...active].filter(([, orderId]) => !createdSet.has(orderId)).map(([deviceId, workOrderId]) => ({ deviceId, workOrderId })),
        skipped: found
          .filter((d) => d.decommissioned || !active.has(d.id))
          .map((d) => ({ deviceId: d.id, reason: d.decommissioned ? ('decommissioned' as const) : ('no_open_findings' as const) })),
      };
    });
    const rows = created.created.length ? await this.repository.find({ ids: created.created, limit: created.created.length }) : [];
    return { created: rows.map((r) => toWorkOrderDto(r, false, now)), existing: created.existing, skipped: created.skipped };
  }

  async page(viewer: Principal, q: WorkOrderQueryDto, defaultLimit = DEFAULT_PAGE): Promise<WorkOrderPageDto> {
    const limit = q.limit ?? defaultLimit;
    const filter: WorkOrderFilter = {
      status: q.status,
      decision: q.decision,
      assigneeUserId: q.assignee,
      department: q.department,
      modelId: q.model,
      deviceId: q.deviceId,
      overdue: q.overdue,
      dueBefore: q.dueBefore,
      manufacturerId: viewer.manufacturerId,
      limit,
    };
    if (q.cursor) {
      const [createdAt, id] = decodeCursor(q.cursor, CURSOR, 'cursor: not a cursor this list gave') as [string, string];
      filter.after = { createdAt, id };
    }
    const rows = await this.repository.find(filter);
    const now = new Date();
    const last = rows[rows.length - 1];
    return {
      items: await this.withProposals(
        rows.map((r) => toWorkOrderDto(r, isManufacturer(viewer), now)),
        now,
      ),
      nextCursor: rows.length === limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  async csv(viewer: Principal, q: WorkOrderQueryDto): Promise<string> {
    const page = await this.page(viewer, q, 100_000);
    const header = ['id', 'deviceId', 'serialNumber', 'modelId', 'department', 'location', 'status', 'decision', 'dueAt', 'overdue', 'targetFirmware', 'kind'];
    header.push(
      'assignee',
      'windowStart',
      'windowEnd',
      'clinicalApprovalBy',
      'manufacturerValidation',
      'findingIds',
      'doneAt',
      'evidenceSource',
      'evidenceFirmware',
      'notes',
    );
    const rows = page.items.map((o) => [
      o.id,
      o.deviceId,
      o.serialNumber,
      o.modelId,
      o.department ?? '',
      o.location ?? '',
      o.status,
      o.decision,
      o.dueAt?.toISOString() ?? '',
      o.overdue,
      o.targetFirmware ?? '',
      o.kind,
      o.assigneeName ?? '',
      o.maintenanceWindow?.start.toISOString() ?? '',
      o.maintenanceWindow?.end.toISOString() ?? '',
      o.clinicalApproval?.by ?? '',
      o.manufacturerValidated?.reference ?? '',
      (o.findingIds ?? []).join('; '),
      o.doneAt?.toISOString() ?? '',
      o.evidence?.source ?? '',
      o.evidence?.firmware ?? '',
      o.notes ?? '',
    ]);
    return toSafeCsv([header, ...rows]);
  }

  /** The maintenance windows of active orders (of one department), as an iCalendar feed. */
  async calendar(department: string | undefined): Promise<string> {
    const rows = await this.repository.find({ status: [...ACTIVE_STATUSES], department, withWindow: true, limit: CALENDAR_LIMIT });
    const now = new Date();
    return maintenanceCalendar(
      rows.map((r) => toWorkOrderDto(r, false, now)),
      department,
      now,
    );
  }

  async get(viewer: Principal, id: string): Promise<WorkOrderDto> {
    const row = await this.visible(viewer, id);
    const history = isManufacturer(viewer) ? undefined : await this.repository.history(id);
    const now = new Date();
    return (await this.withProposals([toWorkOrderDto(row, isManufacturer(viewer), now, history)], now))[0];
  }

  /** Active orders with no window get the next slot of their department's standing window (not shown to manufacturers: no department). */
  private async withProposals(orders: WorkOrderDto[], now: Date): Promise<WorkOrderDto[]> {
    const open = orders.filter((o) => o.department && !o.maintenanceWindow && isActive(o.status));
    if (!open.length) return orders;
    const slots = await this.recurring.proposals(
      open.map((o) => o.department!),
      now,
    );
    for (const o of open) {
      const slot = slots.get(o.department!);
      if (slot) o.proposedWindow = slot;
    }
    return orders;
  }

  async update(actor: Principal, id: string, dto: UpdateWorkOrderDto): Promise<WorkOrderDto> {
    if (isManufacturer(actor)) {
      const others = Object.keys(dto).filter((k) => k !== 'manufacturerValidated' && dto[k as keyof UpdateWorkOrderDto] !== undefined);
      if (others.length) throw new ForbiddenError(`${others.join(', ')}: a manufacturer may only answer the validation request (manufacturerValidated)`);
    }
    await this.repository.transaction(async (m) => {
      const row = await this.repository.lockForUpdate(m, id);
      if (!row || (actor.manufacturerId && row.manufacturerId !== actor.manufacturerId)) throw new NotFoundError('Work order', id);
      const patch = await this.patchFor(m, actor, row, dto);
      const changes = changesOf(row, patch);
      if (!Object.keys(changes).length) return;
      await this.repository.update(m, id, patch);
      await this.repository.appendHistory(m, [{ orderId: id, action: 'updated', changes }], historyActor(actor));
      await this.audit.record(m, actor, { action: 'update', entityType: 'work_order', entityId: id, changes });
    });
    return this.get(actor, id);
  }

  async policy(): Promise<WorkOrderPolicyDto> {
    const p = await this.repository.policy();
    return { autoOpenDecisions: p.autoOpenDecisions, updatedBy: p.updatedBy, updatedAt: p.updatedAt };
  }

  async setPolicy(actor: Principal, dto: UpdateWorkOrderPolicyDto): Promise<WorkOrderPolicyDto> {
    await this.repository.transaction(async (m) => {
      const before = await this.repository.policy(m);
      await this.repository.setAutoOpenDecisions(m, dto.autoOpenDecisions, actor.name);
      await this.audit.record(m, actor, {
        action: 'update',
        entityType: 'remediation_policy',
        entityId: '1',
        changes: { autoOpenDecisions: { from: before.autoOpenDecisions, to: dto.autoOpenDecisions } },
      });
    });
    return this.policy();
  }

  /** The order, when this viewer may see it: another manufacturer's order is as missing as one that does not exist. */
  private async visible(viewer: Principal, id: string): Promise<WorkOrderRow> {
    const row = await this.repository.findOne(id);
    if (!row || (viewer.manufacturerId && row.manufacturerId !== viewer.manufacturerId)) throw new NotFoundError('Work order', id);
    return row;
  }

  private async targetDevices(m: EntityManager, dto: CreateWorkOrdersDto): Promise<string[]> {
    if (dto.deviceId) return [dto.deviceId];
    if (dto.deviceIds) return dto.deviceIds;
    if (!(await this.repository.modelExists(m, dto.modelId!))) throw new NotFoundError('Model', dto.modelId!);
    return this.repository.liveDevicesOfModel(m, dto.modelId!);
  }

  private async checkAssignee(m: EntityManager, userId: string): Promise<void> {
    if (!(await this.repository.userExists(m, userId))) throw new InvalidInputError(`assigneeUserId: no user ${userId}`);
  }

  private async patchFor(m: EntityManager, actor: Principal, row: WorkOrderRow, dto: UpdateWorkOrderDto): Promise<WorkOrderPatch> {
    const patch: WorkOrderPatch = {};
    if (dto.assigneeUserId !== undefined) {
      if (dto.assigneeUserId !== null) await this.checkAssignee(m, dto.assigneeUserId);
      patch.assigneeUserId = dto.assigneeUserId;
    }
    if (dto.maintenanceWindow !== undefined) {
      const window = windowOf(dto.maintenanceWindow);
      patch.windowStart = window?.start ?? null;
      patch.windowEnd = window?.end ?? null;
    }
    if (dto.notes !== undefined) patch.notes = dto.notes;
    const at = new Date().toISOString();
    if (dto.clinicalApproval) patch.clinicalApproval = { by: actor.name, at, note: dto.clinicalApproval.note ?? null };
    if (dto.manufacturerValidated) patch.manufacturerValidated = { reference: dto.manufacturerValidated.reference, by: actor.name, at };
    if (dto.status !== undefined && dto.status !== row.status) {
      const refusal = personMoveRefusal(row.status, dto.status);
      if (refusal) throw new ConflictError(refusal);
      if ((dto.status === 'cancelled' || dto.status === 'risk_accepted') && !dto.reason)
        throw new InvalidInputError(`reason: required to set status ${dto.status}`);
      const hasWindow = patch.windowStart !== undefined ? patch.windowStart !== null : row.windowStart !== null;
      if (dto.status === 'scheduled' && !hasWindow) throw new InvalidInputError('maintenanceWindow: required to set status scheduled');
      patch.status = dto.status;
      patch.statusReason = dto.reason ?? null;
    } else if (dto.reason !== undefined) {
      throw new InvalidInputError('reason: only with a change of status to cancelled or risk_accepted');
    }
    return patch;
  }
}

function windowOf(w: { start: string; end: string } | null | undefined): { start: Date; end: Date } | null | undefined {
  if (!w) return w;
  const start = new Date(w.start);
  const end = new Date(w.end);
  if (end <= start) throw new InvalidInputError('maintenanceWindow.end: must be after maintenanceWindow.start');
  return { start, end };
}

/** What the patch changes, as {field: {from, to}}; unchanged fields are left out. */
function changesOf(row: WorkOrderRow, patch: WorkOrderPatch): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(patch) as Array<[keyof WorkOrderPatch, unknown]>) {
    if (to === undefined) continue;
    const from = (row as unknown as Record<string, unknown>)[key];
    if (JSON.stringify(from ?? null) !== JSON.stringify(to ?? null)) out[key] = { from: from ?? null, to };
  }
  return out;
}
