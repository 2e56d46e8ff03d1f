import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { ErrorNote, Layout, when } from '../components/Layout';
import { DecisionBadge, DECISIONS, DueDate } from '../components/Priority';
import { ScrollRegion } from '../components/ScrollRegion';
import { useLoad } from '../components/useApi';
import { Link, navigate, useLocation, withQuery } from '../router';
import { can, useSession } from '../session';
import { WORK_ORDER_STATUSES } from '../../../src/work-orders/work-order-status';

const PAGE_SIZE = 100;
type WorkOrder = components['schemas']['WorkOrderDto'];
type Status = WorkOrder['status'];
type Decision = WorkOrder['decision'];

export const statusText = (s: string): string => s.replace(/_/g, ' ');

export function windowText(o: Pick<WorkOrder, 'maintenanceWindow' | 'proposedWindow'>): string {
  if (o.maintenanceWindow) return `${when(o.maintenanceWindow.start)} to ${when(o.maintenanceWindow.end)}`;
  if (o.proposedWindow) return `proposed ${when(o.proposedWindow.start)} to ${when(o.proposedWindow.end)}`;
  return '—';
}

/** Work orders, filtered and paged by the server; the filters and the cursor are the URL. */
export function WorkOrders() {
  const { me } = useSession();
  const { path, query } = useLocation();
  const overdue = query.get('overdue');
  const filters = {
    status: (query.get('status') || undefined) as Status | undefined,
    decision: (query.get('decision') || undefined) as Decision | undefined,
    overdue: overdue === 'true' ? true : overdue === 'false' ? false : undefined,
    deviceId: query.get('deviceId') || undefined,
    cursor: query.get('cursor') || undefined,
  };
  const key = query.toString();
  const orders = useLoad(
    () =>
      api.GET('/api/v1/work-orders', {
        params: {
          query: {
            ...filters,
            status: filters.status ? [filters.status] : undefined,
            decision: filters.decision ? [filters.decision] : undefined,
            limit: PAGE_SIZE,
          },
        },
      }),
    [key],
  );
  const setFilter = (name: string, value: string) => navigate(withQuery(path, query, { [name]: value, cursor: null }));
  const rows = orders.data?.items ?? [];
  const now = Date.now();
  // A manufacturer sees its own models' orders without the hospital's people or places (the API
  // leaves them out), and no device page to link to.
  const seesDevices = can.seeDevices(me.role);
  return (
    <Layout title="Work orders">
      <form class="filters" aria-label="Filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={filters.status ?? ''} onChange={(e) => setFilter('status', e.currentTarget.value)}>
            <option value="">any</option>
            {WORK_ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusText(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Decision
          <select value={filters.decision ?? ''} onChange={(e) => setFilter('decision', e.currentTarget.value)}>
            <option value="">any</option>
            {DECISIONS.map((d) => (
              <option key={d} value={d}>
                {statusText(d)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Overdue
          <select value={overdue ?? ''} onChange={(e) => setFilter('overdue', e.currentTarget.value)}>
            <option value="">any</option>
            <option value="true">overdue only</option>
            <option value="false">not overdue</option>
          </select>
        </label>
        {filters.deviceId && (
          <p class="filter-note">
            One device only. <Link href={withQuery(path, query, { deviceId: null, cursor: null })}>Show every device</Link>
          </p>
        )}
        {can.readCalendar(me.role) && (
          <a href="/api/v1/work-orders/calendar.ics" download="maintenance-windows.ics">
            Maintenance calendar (iCalendar)
          </a>
        )}
      </form>
      <ErrorNote error={orders.error} />
      <p class="status" role="status" aria-live="polite">
        {orders.data ? `${rows.length} work order${rows.length === 1 ? '' : 's'} on this page` : 'Loading…'}
      </p>
      <ScrollRegion label="Work orders">
        <table class="data">
          <caption class="visually-hidden">Work orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Device</th>
              <th scope="col">Decision</th>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              {seesDevices && <th scope="col">Assignee</th>}
              {seesDevices && <th scope="col">Maintenance window</th>}
              <th scope="col">Target firmware</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr key={o.id} data-work-order-id={o.id}>
                <td>
                  <Link href={`/work-orders/${o.id}`}>Order {o.id.slice(0, 8)}</Link>
                </td>
                <td>{seesDevices ? <Link href={`/devices/${o.deviceId}`}>{o.serialNumber}</Link> : o.serialNumber}</td>
                <td>
                  <DecisionBadge decision={o.decision} />
                </td>
                <td>
                  <OrderDue order={o} now={now} />
                </td>
                <td>{statusText(o.status)}</td>
                {seesDevices && <td>{o.assigneeName ?? '—'}</td>}
                {seesDevices && <td>{windowText(o)}</td>}
                <td>{o.targetFirmware ?? 'no fix known'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <nav class="pager" aria-label="Pages">
        {filters.cursor && <Link href={withQuery(path, query, { cursor: null })}>First page</Link>}
        {orders.data?.nextCursor && <Link href={withQuery(path, query, { cursor: orders.data.nextCursor })}>Next page</Link>}
      </nav>
    </Layout>
  );
}

/** "overdue" only while the order is active: a closed order's past due date is history. */
export function OrderDue(props: { order: Pick<WorkOrder, 'dueAt' | 'overdue'>; now: number }) {
  if (!props.order.dueAt) return <span class="muted">none</span>;
  return props.order.overdue ? <DueDate at={props.order.dueAt} now={props.now} /> : <DueDate at={props.order.dueAt} now={0} />;
}
