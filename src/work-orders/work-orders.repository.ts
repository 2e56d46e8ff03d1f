import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DECISION_JOIN_SQL, FINDING_DECISION_SQL, FINDING_DUE_AT_SQL } from '../prioritisation/priority-summary.sql';
import { Decision, decisionRank, RemediationPolicy } from './decision';
import { DeviceState, FirmwareEvidence, LinkedFinding, OpenFinding, PlannedOrder, Step } from './work-order-plan';
import { ACTIVE_STATUSES, WorkOrderStatus } from './work-order-status';

/** Serialises the planning of orders: two recomputes of one device never both open an order, nor read half of the other's writes. */
const WORK_ORDERS_LOCK = 7_316_052_017;
const ACTIVE_SQL = `(${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Who changed an order, as its history keeps it. */
export interface HistoryActor {
  id: string;
  name: string;
}

export const SYSTEM_HISTORY_ACTOR: HistoryActor = { id: 'system', name: 'system' };

export interface WorkOrderRow {
  id: string;
  deviceId: string;
  modelId: string;
  manufacturerId: string;
  department: string | null;
  location: string | null;
  serialNumber: string;
  findingIds: string[];
  targetFirmware: string | null;
  decision: Decision;
  dueAt: Date | null;
  status: WorkOrderStatus;
  origin: 'auto' | 'manual';
  assigneeUserId: string | null;
  assigneeName: string | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  clinicalApproval: { by: string; at: string; note: string | null } | null;
  manufacturerValidated: { reference: string; by: string; at: string } | null;
  notes: string | null;
  statusReason: string | null;
  evidence: FirmwareEvidence | null;
  detectedAt: Date;
  doneAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface HistoryRow {
  at: Date;
  actorId: string;
  actorName: string;
  action: string;
  changes: Record<string, unknown>;
}

export interface WorkOrderFilter {
  ids?: string[];
  status?: WorkOrderStatus[];
  decision?: Decision[];
  assigneeUserId?: string;
  department?: string;
  modelId?: string;
  deviceId?: string;
  overdue?: boolean;
  dueBefore?: string;
  withWindow?: boolean;
  /** A manufacturer sees orders on its own models only. */
  manufacturerId?: string;
  after?: { createdAt: string; id: string };
  limit: number;
}

/** The columns a person may change, as stored. */
export interface WorkOrderPatch {
  status?: WorkOrderStatus;
  statusReason?: string | null;
  assigneeUserId?: string | null;
  windowStart?: Date | null;
  windowEnd?: Date | null;
  clinicalApproval?: WorkOrderRow['clinicalApproval'];
  manufacturerValidated?: WorkOrderRow['manufacturerValidated'];
  notes?: string | null;
}

const PATCH_COLUMNS: Record<keyof WorkOrderPatch, { column: string; json?: boolean }> = {
  status: { column: 'status' },
  statusReason: { column: 'status_reason' },
  assigneeUserId: { column: 'assignee_user_id' },
  windowStart: { column: 'window_start' },
  windowEnd: { column: 'window_end' },
  clinicalApproval: { column: 'clinical_approval', json: true },
  manufacturerValidated: { column: 'manufacturer_validated', json: true },
  notes: { column: 'notes' },
};

const ORDER_COLUMNS = `
  wo.id, wo.device_id AS "deviceId", d.model_id AS "modelId", m.manufacturer_id AS "manufacturerId", d.department, d.location,
  d.serial_number AS "serialNumber",
  ARRAY(SELECT l.finding_id::text FROM work_order_findings l WHERE l.work_order_id = wo.id ORDER BY l.finding_id) AS "findingIds",
  wo.target_firmware AS "targetFirmware", wo.decision, wo.due_at AS "dueAt", wo.status, wo.origin,
  wo.assignee_user_id AS "assigneeUserId", u.display_name AS "assigneeName", wo.window_start AS "windowStart", wo.window_end AS "windowEnd",
  wo.clinical_approval AS "clinicalApproval", wo.manufacturer_validated AS "manufacturerValidated", wo.notes,
  wo.status_reason AS "statusReason", wo.evidence, wo.detected_at AS "detectedAt", wo.done_at AS "doneAt",
  wo.created_at AS "createdAt", wo.updated_at AS "updatedAt"`;
const ORDER_FROM = `
  work_orders wo JOIN devices d ON d.id = wo.device_id JOIN device_models m ON m.id = d.model_id
  LEFT JOIN users u ON u.id = wo.assignee_user_id`;

@Injectable()
export class WorkOrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** One planning at a time, in one transaction: its reads and writes see no other planning's half. */
  planning<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [WORK_ORDERS_LOCK]);
      return work(m);
    });
  }

  async policy(m: EntityManager = this.dataSource.manager): Promise<RemediationPolicy & { updatedAt: Date; updatedBy: string | null }> {
    const [row] = await m.query(
      `SELECT due, auto_work_order_decisions AS "autoOpenDecisions", updated_at AS "updatedAt", updated_by AS "updatedBy" FROM remediation_policy WHERE id = 1`,
    );
    return row ?? { due: {}, autoOpenDecisions: [], updatedAt: new Date(0), updatedBy: null };
  }

  async setAutoOpenDecisions(m: EntityManager, decisions: Decision[], by: string): Promise<void> {
    await m.query(`UPDATE remediation_policy SET auto_work_order_decisions = $1::text[], updated_by = $2, updated_at = now() WHERE id = 1`, [decisions, by]);
  }

  /** Everything planning needs of these devices, in four statements. Decommissioned devices are left alone. */
  async deviceStates(m: EntityManager, deviceIds: string[]): Promise<DeviceState[]> {
    const devices: Array<{ id: string; firmware: string | null; sentAt: Date | null; source: string | null; changedAt: Date | null; actor: string | null }> =
      await m.query(
        `SELECT d.id, d.firmware_version AS firmware, p.last_heartbeat_sent_at AS "sentAt", fh.source, fh.changed_at AS "changedAt", fh.actor_id AS actor
           FROM devices d
           LEFT JOIN device_presence p ON p.device_id = d.id
           LEFT JOIN LATERAL (SELECT source, changed_at, actor_id FROM firmware_history h WHERE h.device_id = d.id ORDER BY h.id DESC LIMIT 1) fh ON true
          WHERE d.id = ANY($1::uuid[]) AND d.status <> 'decommissioned'`,
        [deviceIds],
      );
    if (!devices.length) return [];
    const ids = devices.map((d) => d.id);
    const findings: Array<OpenFinding & { deviceId: string }> = await m.query(
      `SELECT f.id::text AS id, f.device_id AS "deviceId", f.advisory_id AS "advisoryId", ${FINDING_DECISION_SQL} AS decision, ${FINDING_DUE_AT_SQL} AS "dueAt", a.severity,
              f.detected_at AS "detectedAt", f.fixed_version AS "fixedVersion", f.affected_versions AS "affectedVersions"
         FROM findings f JOIN advisories a ON a.id = f.advisory_id ${DECISION_JOIN_SQL}
        WHERE f.device_id = ANY($1::uuid[]) AND f.status = 'open'
        ORDER BY f.id`,
      [ids],
    );
    const orders: Array<Omit<PlannedOrder, 'links'> & { deviceId: string }> = await m.query(
      `SELECT id, device_id AS "deviceId", status, decision, due_at AS "dueAt", target_firmware AS "targetFirmware"
         FROM work_orders WHERE device_id = ANY($1::uuid[]) AND status IN ${ACTIVE_SQL}
       UNION ALL
       SELECT * FROM (SELECT DISTINCT ON (device_id) id, device_id, status, decision, due_at, target_firmware
                        FROM work_orders WHERE device_id = ANY($1::uuid[]) AND status = 'done' ORDER BY device_id, done_at DESC) last_done`,
      [ids],
    );
    const links: Array<LinkedFinding & { orderId: string }> = orders.length
      ? await m.query(
          `SELECT l.work_order_id AS "orderId", l.finding_id::text AS "findingId", l.advisory_id AS "advisoryId", f.status = 'open' AS open,
                  f.fixed_version AS "fixedVersion", f.affected_versions AS "affectedVersions"
             FROM work_order_findings l JOIN findings f ON f.id = l.finding_id
            WHERE l.work_order_id = ANY($1::uuid[])`,
          [orders.map((o) => o.id)],
        )
      : [];
    const linksOf = groupBy(links, (l) => l.orderId);
    const findingsOf = groupBy(findings, (f) => f.deviceId);
    const ordersOf = groupBy(orders, (o) => o.deviceId);
    return devices.map((d) => {
      const own = (ordersOf.get(d.id) ?? []).map((o) => ({ ...o, links: linksOf.get(o.id) ?? [] }));
      return {
        deviceId: d.id,
        firmwareVersion: d.firmware,
        evidence: {
          source: d.source === 'heartbeat' ? 'heartbeat' : 'person',
          firmware: d.firmware,
          sentAt: d.source === 'heartbeat' && d.sentAt ? d.sentAt.toISOString() : null,
          changedAt: d.changedAt ? d.changedAt.toISOString() : null,
          actor: d.source === 'heartbeat' ? null : d.actor,
        },
        openFindings: findingsOf.get(d.id) ?? [],
        active: own.find((o) => o.status !== 'done') ?? null,
        lastDone: own.find((o) => o.status === 'done') ?? null,
      };
    });
  }

  /** Writes planned steps set-based: one statement per kind of change, plus the links and history. Returns the ids of orders created. */
  async apply(m: EntityManager, steps: Step[], origin: 'auto' | 'manual', actor: HistoryActor): Promise<string[]> {
    const history: Array<{ orderId: string; action: string; changes: unknown }> = [];
    const newLinks: Array<{ orderId: string; findingId: string; advisoryId: string }> = [];

    const creates = steps.filter((s) => s.kind === 'create');
    let created: Array<{ id: string; deviceId: string }> = [];
    if (creates.length) {
      created = await m.query(
        `INSERT INTO work_orders (device_id, target_firmware, decision, decision_rank, due_at, origin, detected_at)
         SELECT * FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::smallint[], $5::timestamptz[], $6::varchar[], $7::timestamptz[])
         ON CONFLICT (device_id) WHERE status IN ${ACTIVE_SQL} DO NOTHING
         RETURNING id, device_id AS "deviceId"`,
        [
          creates.map((c) => c.deviceId),
          creates.map((c) => c.terms.targetFirmware),
          creates.map((c) => c.terms.decision),
          creates.map((c) => decisionRank(c.terms.decision)),
          creates.map((c) => c.terms.dueAt?.toISOString() ?? null),
          creates.map(() => origin),
          creates.map((c) => c.detectedAt.toISOString()),
        ],
      );
      const byDevice = new Map(creates.map((c) => [c.deviceId, c]));
      for (const row of created) {
        const c = byDevice.get(row.deviceId)!;
        for (const f of c.findings) newLinks.push({ orderId: row.id, findingId: f.id, advisoryId: f.advisoryId });
        history.push({ orderId: row.id, action: 'created', changes: { origin, findingIds: c.findings.map((f) => f.id), ...termsJson(c.terms) } });
      }
    }

    const reopens = steps.filter((s) => s.kind === 'reopen');
    if (reopens.length) {
      await m.query(
        `UPDATE work_orders SET status = 'open', evidence = NULL, done_at = NULL, status_reason = r.reason, updated_at = now()
                       FROM unnest($1::uuid[], $2::text[]) AS r(id, reason) WHERE work_orders.id = r.id AND work_orders.status = 'done'`,
        [reopens.map((r) => r.orderId), reopens.map((r) => reopenReason(r.firmware))],
      );
      for (const r of reopens) {
        history.push({
          orderId: r.orderId,
          action: 'reopened',
          changes: { status: { from: 'done', to: 'open' }, reason: reopenReason(r.firmware), advisoryIds: r.advisoryIds },
        });
      }
    }

    const joins = steps.filter((s) => s.kind === 'join');
    if (joins.length) {
      await m.query(
        `UPDATE work_orders SET target_firmware = j.target, decision = j.decision, decision_rank = j.rank, due_at = j.due, updated_at = now()
           FROM unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::smallint[], $5::timestamptz[]) AS j(id, target, decision, rank, due)
          WHERE work_orders.id = j.id`,
        [
          joins.map((j) => j.orderId),
          joins.map((j) => j.terms.targetFirmware),
          joins.map((j) => j.terms.decision),
          joins.map((j) => decisionRank(j.terms.decision)),
          joins.map((j) => j.terms.dueAt?.toISOString() ?? null),
        ],
      );
      for (const j of joins) {
        for (const f of j.findings) newLinks.push({ orderId: j.orderId, findingId: f.id, advisoryId: f.advisoryId });
        history.push({
          orderId: j.orderId,
          action: 'findings_joined',
          changes: { findingIds: j.findings.map((f) => f.id), from: termsJson(j.previous), to: termsJson(j.terms) },
        });
      }
    }

    const dones = steps.filter((s) => s.kind === 'done');
    if (dones.length) {
      const closed: Array<{ id: string; from: string }> = await m.query(
        // Inside a CTE so that the driver answers rows, as for a SELECT.
        `WITH closed AS (
           UPDATE work_orders wo SET status = 'done', evidence = e.evidence, done_at = now(), status_reason = NULL, updated_at = now()
             FROM unnest($1::uuid[], $2::jsonb[]) AS e(id, evidence), work_orders old
            WHERE wo.id = e.id AND old.id = e.id AND wo.status IN ${ACTIVE_SQL}
            RETURNING wo.id, old.status AS "from")
         SELECT * FROM closed`,
        [dones.map((d) => d.orderId), dones.map((d) => JSON.stringify(d.evidence))],
      );
      const evidence = new Map(dones.map((d) => [d.orderId, d.evidence]));
      for (const c of closed)
        history.push({ orderId: c.id, action: 'verified', changes: { status: { from: c.from, to: 'done' }, evidence: evidence.get(c.id) } });
    }

    if (newLinks.length) {
      await m.query(
        `INSERT INTO work_order_findings (work_order_id, finding_id, advisory_id)
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[]) ON CONFLICT DO NOTHING`,
        [newLinks.map((l) => l.orderId), newLinks.map((l) => l.findingId), newLinks.map((l) => l.advisoryId)],
      );
    }
    await this.appendHistory(m, history, actor);
    return created.map((c) => c.id);
  }

  async appendHistory(m: EntityManager, entries: Array<{ orderId: string; action: string; changes: unknown }>, actor: HistoryActor): Promise<void> {
    if (!entries.length) return;
    await m.query(
      `INSERT INTO work_order_history (work_order_id, actor_id, actor_name, action, changes)
       SELECT o, $2, $3, a, c FROM unnest($1::uuid[], $4::varchar[], $5::jsonb[]) AS h(o, a, c)`,
      [entries.map((e) => e.orderId), actor.id, actor.name, entries.map((e) => e.action), entries.map((e) => JSON.stringify(e.changes))],
    );
  }

  /** Active devices of a model (a manual order for its whole fleet). */
  async liveDevicesOfModel(m: EntityManager, modelId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(`SELECT id FROM devices WHERE model_id = $1 AND status <> 'decommissioned' ORDER BY id`, [modelId]);
    return rows.map((r) => r.id);
  }

  async existingDevices(m: EntityManager, deviceIds: string[]): Promise<Array<{ id: string; decommissioned: boolean }>> {
    return m.query(`SELECT id, status = 'decommissioned' AS decommissioned FROM devices WHERE id = ANY($1::uuid[])`, [deviceIds]);
  }

  async activeOrderIds(m: EntityManager, deviceIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; deviceId: string }> = await m.query(
      `SELECT id, device_id AS "deviceId" FROM work_orders WHERE device_id = ANY($1::uuid[]) AND status IN ${ACTIVE_SQL}`,
      [deviceIds],
    );
    return new Map(rows.map((r) => [r.deviceId, r.id]));
  }

  async find(filter: WorkOrderFilter, m: EntityManager = this.dataSource.manager): Promise<WorkOrderRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (filter.ids) where.push(`wo.id = ANY(${p(filter.ids)}::uuid[])`);
    if (filter.status?.length) where.push(`wo.status = ANY(${p(filter.status)}::text[])`);
    if (filter.decision?.length) where.push(`wo.decision = ANY(${p(filter.decision)}::text[])`);
    if (filter.assigneeUserId) where.push(`wo.assignee_user_id = ${p(filter.assigneeUserId)}`);
    if (filter.department !== undefined) where.push(`d.department = ${p(filter.department)}`);
    if (filter.modelId) where.push(`d.model_id = ${p(filter.modelId)}`);
    if (filter.deviceId) where.push(`wo.device_id = ${p(filter.deviceId)}`);
    if (filter.manufacturerId) where.push(`m.manufacturer_id = ${p(filter.manufacturerId)}`);
    if (filter.overdue !== undefined) {
      const overdue = `(wo.status IN ${ACTIVE_SQL} AND wo.due_at < now())`;
      where.push(filter.overdue ? overdue : `NOT ${overdue}`);
    }
    if (filter.withWindow) where.push('wo.window_start IS NOT NULL');
    if (filter.dueBefore) where.push(`wo.due_at < ${p(filter.dueBefore)}::timestamptz`);
    if (filter.after) where.push(`(wo.created_at, wo.id) < (${p(filter.after.createdAt)}::timestamptz, ${p(filter.after.id)}::uuid)`);
    const sql = `SELECT ${ORDER_COLUMNS} FROM ${ORDER_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY wo.created_at DESC, wo.id DESC LIMIT ${p(filter.limit)}`;
    return m.query(sql, params);
  }

  async findOne(id: string, m?: EntityManager): Promise<WorkOrderRow | null> {
    return (await this.find({ ids: [id], limit: 1 }, m))[0] ?? null;
  }

  /** Locks the order's row for a person's change: proof arriving meanwhile waits, then sees the change. */
  async lockForUpdate(m: EntityManager, id: string): Promise<WorkOrderRow | null> {
    const rows: Array<{ id: string }> = await m.query(`SELECT id FROM work_orders WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length ? this.findOne(id, m) : null;
  }

  async update(m: EntityManager, id: string, patch: WorkOrderPatch): Promise<void> {
    await this.updateMany(m, [id], patch);
  }

  /** The same change on several orders, in one statement. */
  async updateMany(m: EntityManager, ids: string[], patch: WorkOrderPatch): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [ids];
    for (const [key, value] of Object.entries(patch) as Array<[keyof WorkOrderPatch, unknown]>) {
      if (value === undefined) continue;
      const { column, json } = PATCH_COLUMNS[key];
      params.push(json && value !== null ? JSON.stringify(value) : value instanceof Date ? value.toISOString() : value);
      sets.push(`${column} = $${params.length}${json ? '::jsonb' : ''}`);
    }
    if (!sets.length) return;
    await m.query(`UPDATE work_orders SET ${sets.join(', ')}, updated_at = now() WHERE id = ANY($1::uuid[])`, params);
  }

  history(id: string): Promise<HistoryRow[]> {
    return this.dataSource.query(
      `SELECT at, actor_id AS "actorId", actor_name AS "actorName", action, changes FROM work_order_history WHERE work_order_id = $1 ORDER BY id`,
      [id],
    );
  }

  async userExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM users WHERE id = $1`, [id])).length > 0;
  }

  async modelExists(m: EntityManager, id: string): Promise<boolean> {
    return (await m.query(`SELECT 1 FROM device_models WHERE id = $1`, [id])).length > 0;
  }

  /** Active orders past their due date (the /metrics gauge). */
  async overdueCount(): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM work_orders WHERE status IN ${ACTIVE_SQL} AND due_at < now()`);
    return row.n;
  }
}

function reopenReason(firmware: string | null): string {
  return `rollback: the device reports firmware ${firmware ?? '(none)'} again, which an advisory of this order affects`;
}

function termsJson(t: { decision: Decision; dueAt: Date | null; targetFirmware: string | null }) {
  return { decision: t.decision, dueAt: t.dueAt?.toISOString() ?? null, targetFirmware: t.targetFirmware };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
