import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { CursorPager } from '../components/CursorPager';
import { DataTable } from '../components/DataTable';
import { FilterSelect } from '../components/FilterSelect';
import { ErrorNote, Layout, when } from '../components/Layout';
import { DecisionBadge, DECISIONS, DueDate } from '../components/Priority';
import { useLoad } from '../components/useApi';
import { useQueryFilters } from '../components/useQueryFilters';
import { Link } from '../router';
import { can, useSession } from '../session';
import { WORK_ORDER_STATUSES } from '../../../src/work-orders/work-order-status';

const PAGE_SIZE = 100;
const OVERDUE = [
  ['true', 'overdue only'],
  ['false', 'not overdue'],
] as const;
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
  const f = useQueryFilters();
  const filters = {
    status: f.get<Status>('status'),
    decision: f.get<Decision>('decision'),
    overdue: f.flag('overdue'),
    deviceId: f.get('deviceId'),
    cursor: f.cursor,
  };
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
    [f.key],
  );
  const rows = orders.data?.items;
  const now = Date.now();
  // A manufacturer sees its own models' orders without the hospital's people or places (the API
  // leaves them out), and no device page to link to.
  const seesDevices = can.seeDevices(me.role);
  return (
    <Layout title="Work orders">
      <form class="filters" aria-label="Filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label="Status" value={filters.status} options={WORK_ORDER_STATUSES} onChange={(v) => f.set({ status: v })} />
        <FilterSelect label="Decision" value={filters.decision} options={DECISIONS} onChange={(v) => f.set({ decision: v })} />
        <FilterSelect label="Overdue" value={f.get('overdue')} options={OVERDUE} onChange={(v) => f.set({ overdue: v })} />
        {filters.deviceId && (
          <p class="filter-note">
            One device only. <Link href={f.href({ deviceId: null, cursor: null })}>Show every device</Link>
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
        {rows ? `${rows.length} work order${rows.length === 1 ? '' : 's'} on this page` : 'Loading…'}
      </p>
      <DataTable<WorkOrder>
        label="Work orders"
        caption="Work orders, newest first"
        rows={rows}
        rowKey={(o) => o.id}
        rowData={(o) => ({ 'data-work-order-id': o.id })}
        columns={[
          { header: 'Order', cell: (o) => <Link href={`/work-orders/${o.id}`}>Order {o.id.slice(0, 8)}</Link> },
          { header: 'Device', cell: (o) => (seesDevices ? <Link href={`/devices/${o.deviceId}`}>{o.serialNumber}</Link> : o.serialNumber) },
          { header: 'Decision', cell: (o) => <DecisionBadge decision={o.decision} /> },
          { header: 'Due', cell: (o) => <OrderDue order={o} now={now} /> },
          { header: 'Status', cell: (o) => statusText(o.status) },
          seesDevices && { header: 'Assignee', cell: (o) => o.assigneeName ?? '—' },
          seesDevices && { header: 'Maintenance window', cell: windowText },
          { header: 'Target firmware', cell: (o) => o.targetFirmware ?? 'no fix known' },
        ]}
      />
      <CursorPager filters={f} nextCursor={orders.data?.nextCursor} />
    </Layout>
  );
}

/** "overdue" only while the order is active: a closed order's past due date is history. */
export function OrderDue(props: { order: Pick<WorkOrder, 'dueAt' | 'overdue'>; now: number }) {
  if (!props.order.dueAt) return <span class="muted">none</span>;
  return props.order.overdue ? <DueDate at={props.order.dueAt} now={props.now} /> : <DueDate at={props.order.dueAt} now={0} />;
}
