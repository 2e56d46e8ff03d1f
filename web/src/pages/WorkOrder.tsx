import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client';
import type { components } from '../api/schema.gen';
import { ConfirmButton } from '../components/ConfirmButton';
import { DataTable } from '../components/DataTable';
import { findingColumns } from '../components/findingColumns';
import { ErrorNote, Layout, When, when } from '../components/Layout';
import { DecisionBadge } from '../components/Priority';
import { useLoad } from '../components/useApi';
import { Link } from '../router';
import { can, useSession } from '../session';
import { personMoveRefusal, WORK_ORDER_STATUSES } from '../../../src/work-orders/work-order-status';
import { OrderDue, statusText, windowText } from './WorkOrders';

type WorkOrder = components['schemas']['WorkOrderDto'];
type Status = WorkOrder['status'];
type Patch = components['schemas']['UpdateWorkOrderDto'];
type Finding = components['schemas']['FindingDto'];

/** The button for each move a person may make; the closing ones go through a confirm step. */
const MOVE_LABELS: Record<Status, string> = {
  open: 'Back to open',
  scheduled: 'Schedule',
  in_progress: 'Start work',
  verifying: 'Ready to verify',
  done: 'Done',
  cancelled: 'Cancel the order',
  risk_accepted: 'Accept the risk',
};
const CLOSING: Status[] = ['cancelled', 'risk_accepted'];

export function WorkOrderPage(props: { id: string }) {
  const { me } = useSession();
  const order = useLoad(() => api.GET('/api/v1/work-orders/{id}', { params: { path: { id: props.id } } }), [props.id]);
  const o = order.data;
  const seesDevices = can.seeDevices(me.role);
  const deviceId = o?.deviceId;
  const findings = useLoad(
    () => (deviceId && seesDevices ? api.GET('/api/v1/devices/{id}/findings', { params: { path: { id: deviceId } } }) : Promise.resolve({ data: null })),
    [deviceId],
  );
  const covered = findings.data ? findings.data.filter((f) => o?.findingIds?.includes(f.id)) : null;
  return (
    <Layout title={o ? `Work order for ${o.serialNumber}` : 'Work order'}>
      <p>
        <Link href="/work-orders">All work orders</Link>
      </p>
      <ErrorNote error={order.error} />
      {o && (
        <>
          <section aria-labelledby="order">
            <h2 id="order">Order</h2>
            <dl>
              <dt>Device</dt>
              <dd>{seesDevices ? <Link href={`/devices/${o.deviceId}`}>{o.serialNumber}</Link> : o.serialNumber}</dd>
              <dt>Status</dt>
              <dd data-testid="work-order-status">{statusText(o.status)}</dd>
              {o.statusReason && (
                <>
                  <dt>Reason</dt>
                  <dd>{o.statusReason}</dd>
                </>
              )}
              <dt>Decision</dt>
              <dd>
                <DecisionBadge decision={o.decision} />
              </dd>
              <dt>Due</dt>
              <dd>
                <OrderDue order={o} now={Date.now()} />
              </dd>
              <dt>Kind</dt>
              <dd>{o.kind === 'mitigation' ? 'mitigation (no fix known)' : `firmware update to ${o.targetFirmware}`}</dd>
              {seesDevices && (
                <>
                  <dt>Department</dt>
                  <dd>{o.department ?? '—'}</dd>
                  <dt>Assignee</dt>
                  <dd>{o.assigneeName ?? '—'}</dd>
                  <dt>Maintenance window</dt>
                  <dd>{windowText(o)}</dd>
                  <dt>Clinical approval</dt>
                  <dd>
                    {o.clinicalApproval
                      ? `${o.clinicalApproval.by}, ${when(o.clinicalApproval.at)}${o.clinicalApproval.note ? `: ${o.clinicalApproval.note}` : ''}`
                      : '—'}
                  </dd>
                </>
              )}
              <dt>Manufacturer validation</dt>
              <dd>
                {o.manufacturerValidated ? `${o.manufacturerValidated.reference} (${o.manufacturerValidated.by}, ${when(o.manufacturerValidated.at)})` : '—'}
              </dd>
              <dt>Opened</dt>
              <dd>
                <When at={o.createdAt} />
              </dd>
              <dt>Evidence</dt>
              <dd>
                {o.evidence
                  ? `${o.evidence.source === 'heartbeat' ? 'the device’s heartbeat' : `a firmware change by ${o.evidence.actor ?? 'a person'}`} reported ${o.evidence.firmware ?? 'unknown'} at ${when(o.evidence.sentAt ?? o.evidence.changedAt)}${o.doneAt ? `; done ${when(o.doneAt)}` : ''}`
                  : 'none yet: the order is closed as done only by proof from the device'}
              </dd>
            </dl>
          </section>
          {can.moveWorkOrders(me.role) && <StatusMoves order={o} onChanged={order.reload} />}
          {me.role === 'manufacturer' && <ManufacturerValidation order={o} onChanged={order.reload} />}
          {seesDevices && (
            <section aria-labelledby="covered">
              <h2 id="covered">Covered findings</h2>
              <ErrorNote error={findings.error} />
              <DataTable<Finding>
                label="Covered findings"
                rows={covered}
                rowKey={(f) => f.id}
                empty="None"
                columns={[
                  findingColumns.advisory,
                  { header: 'Status', cell: (f) => statusText(f.status) },
                  findingColumns.decision,
                  findingColumns.fixed,
                  findingColumns.detected,
                ]}
              />
            </section>
          )}
          {o.history && (
            <section aria-labelledby="history">
              <h2 id="history">History</h2>
              <ol class="timeline">
                {o.history.map((h, i) => (
                  <li key={i}>
                    <When at={String(h.at)} /> {statusText(h.action)} by {h.actorName}
                    {h.action === 'created' ? '' : changeText(h.changes)}
                  </li>
                ))}
              </ol>
            </section>
          )}
        </>
      )}
    </Layout>
  );
}

/** `status: open → scheduled` for what changed; other fields by name only (values may be long). */
function changeText(changes: Record<string, unknown>): string {
  const status = changes.status as { from?: unknown; to?: unknown } | undefined;
  const names = Object.keys(changes).filter((k) => k !== 'status');
  const parts = [
    ...(status && typeof status === 'object' && 'to' in status ? [`status ${statusText(String(status.from ?? '—'))} → ${statusText(String(status.to))}`] : []),
    ...(names.length ? [`changed ${names.join(', ')}`] : []),
  ];
  return parts.length ? `: ${parts.join('; ')}` : '';
}

/** `2026-12-08T22:00` from an <input type=datetime-local> read as UTC, as every time here is. */
const fromInput = (v: string): string => `${v}:00Z`;
const toInput = (iso: string | undefined): string => (iso ? new Date(iso).toISOString().slice(0, 16) : '');

/**
 * The status moves the API allows from here (the same pure rule, src/work-orders/work-order-status.ts).
 * A refusal (another person moved the order meanwhile, a missing window or reason) is the API's
 * own message, shown in place.
 */
function StatusMoves(props: { order: WorkOrder; onChanged: () => void }) {
  const o = props.order;
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const window = o.maintenanceWindow ?? o.proposedWindow;
  const [start, setStart] = useState(toInput(window?.start as string | undefined));
  const [end, setEnd] = useState(toInput(window?.end as string | undefined));
  const moves = WORK_ORDER_STATUSES.filter((to) => to !== o.status && personMoveRefusal(o.status, to) === null);
  if (moves.length === 0) return null;

  const move = async (to: Status) => {
    const body: Patch = { status: to };
    if (to === 'scheduled' && start && end) body.maintenanceWindow = { start: fromInput(start), end: fromInput(end) };
    if (CLOSING.includes(to)) body.reason = reason.trim() || undefined;
    setDone(null);
    const res = await api.PATCH('/api/v1/work-orders/{id}', { params: { path: { id: o.id } }, body });
    if (res.error) setError(errorText(res.error));
    else {
      setError(null);
      setDone(`Moved to ${statusText(to)}.`);
    }
    props.onChanged();
  };
  return (
    <section aria-labelledby="moves" class="write">
      <h2 id="moves">Move the order</h2>
      <ErrorNote error={error} />
      <p role="status" aria-live="polite">
        {done}
      </p>
      {moves.includes('scheduled') && (
        <fieldset class="inline-form">
          <legend>Maintenance window (UTC), to schedule</legend>
          <label>
            Window start
            <input type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          </label>
          <label>
            Window end
            <input type="datetime-local" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </label>
        </fieldset>
      )}
      {moves.some((m) => CLOSING.includes(m)) && (
        <div class="inline-form">
          <label>
            Reason (to cancel or accept the risk)
            <input type="text" value={reason} maxLength={2000} onInput={(e) => setReason(e.currentTarget.value)} />
          </label>
        </div>
      )}
      <div class="actions">
        {moves.map((to) =>
          CLOSING.includes(to) ? (
            <ConfirmButton
              key={to}
              label={MOVE_LABELS[to]}
              question={
                to === 'cancelled'
                  ? 'Cancel this order? It closes for good; a new finding opens a new one.'
                  : 'Accept the risk? The order closes without a fix.'
              }
              confirmLabel={MOVE_LABELS[to]}
              onConfirm={() => move(to)}
            />
          ) : (
            <button key={to} type="button" onClick={() => void move(to)}>
              {MOVE_LABELS[to]}
            </button>
          ),
        )}
      </div>
      <p class="muted">Current status: {statusText(o.status)}. Done is reached only by proof: the device reporting the target firmware.</p>
    </section>
  );
}

/** A manufacturer's one write on an order (the API refuses it any other field): its validation reference. */
function ManufacturerValidation(props: { order: WorkOrder; onChanged: () => void }) {
  const [reference, setReference] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    const res = await api.PATCH('/api/v1/work-orders/{id}', {
      params: { path: { id: props.order.id } },
      body: { manufacturerValidated: { reference: reference.trim() } },
    });
    setError(res.error ? errorText(res.error) : null);
    if (!res.error) setReference('');
    props.onChanged();
  };
  return (
    <section aria-labelledby="validation" class="write">
      <h2 id="validation">Validate the fix</h2>
      <ErrorNote error={error} />
      <form class="inline-form" onSubmit={(e) => void save(e)}>
        <label>
          Validation reference
          <input type="text" required maxLength={200} value={reference} onInput={(e) => setReference(e.currentTarget.value)} />
        </label>
        <button type="submit">Record the validation</button>
      </form>
    </section>
  );
}
