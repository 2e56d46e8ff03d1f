import { useState } from 'preact/hooks';
import { api, CONSOLE_HEADER } from '../api/client';
import type { components } from '../api/schema.gen';
import { CursorPager } from '../components/CursorPager';
import { DataTable } from '../components/DataTable';
import { FilterSelect } from '../components/FilterSelect';
import { Badge, ErrorNote, Layout, when } from '../components/Layout';
import { DecisionBadge, DECISIONS, DueDate, epss } from '../components/Priority';
import { useLoad } from '../components/useApi';
import { useQueryFilters } from '../components/useQueryFilters';
import { useLiveEvents } from '../live';
import { Link } from '../router';

const PAGE_SIZE = 100;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
const CATEGORIES = ['wearable', 'implantable', 'facility', 'other'] as const;
const CONNECTIVITY = ['online', 'offline', 'never_seen'] as const;
const SORTS = [
  ['priority', 'priority (decision, EPSS, CVSS)'],
  ['dueAt', 'due date, soonest first'],
  ['lastSeen', 'last seen, most recent first'],
] as const;
const YES_NO = [
  ['true', 'yes'],
  ['false', 'no'],
] as const;
type Severity = (typeof SEVERITIES)[number];
type Category = (typeof CATEGORIES)[number];
type Decision = (typeof DECISIONS)[number];
type Connectivity = (typeof CONNECTIVITY)[number];
type Sort = (typeof SORTS)[number][0];
type Row = components['schemas']['OutdatedDeviceDto'];

/** The outdated-firmware report, filtered, sorted and paged by the server; the filters are the URL. */
export function Exposure() {
  const f = useQueryFilters();
  const filters = {
    decision: f.get<Decision>('decision'),
    inKev: f.flag('inKev'),
    severity: f.get<Severity>('severity'),
    category: f.get<Category>('category'),
    department: f.get('department'),
    manufacturerId: f.get('manufacturerId'),
    modelId: f.get('modelId'),
    connectivity: f.get<Connectivity>('connectivity'),
    q: f.get('q'),
    sort: f.get<Sort>('sort'),
    cursor: f.cursor,
  };
  const report = useLoad(
    () =>
      api.GET('/api/v1/reports/outdated-firmware', {
        params: {
          query: {
            ...filters,
            severity: filters.severity ? [filters.severity] : undefined,
            decision: filters.decision ? [filters.decision] : undefined,
            limit: PAGE_SIZE,
          },
        },
      }),
    [f.key],
  );
  const manufacturers = useLoad(() => api.GET('/api/v1/manufacturers'), []);
  const models = useLoad(
    () => api.GET('/api/v1/models', { params: { query: { manufacturerId: filters.manufacturerId, limit: 500 } } }),
    [filters.manufacturerId],
  );
  const [updated, setUpdated] = useState<string | null>(null);
  useLiveEvents(['findings'], () => {
    report.reload();
    setUpdated(when(new Date().toISOString()));
  });

  const setFilter = (name: string) => (value: string) => f.set({ [name]: value });
  const downloadCsv = async () => {
    const params = new URLSearchParams(f.query);
    params.delete('cursor');
    const res = await fetch(`/api/v1/reports/outdated-firmware?${params.toString()}`, { headers: { Accept: 'text/csv', [CONSOLE_HEADER]: '1' } });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'outdated-firmware.csv';
    a.click();
    URL.revokeObjectURL(url);
  };

  const rows = report.data?.items;
  const now = Date.now();
  return (
    <Layout title="Exposure">
      <form
        class="filters"
        aria-label="Filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          f.set({ q: (new FormData(e.currentTarget).get('q') as string).trim() });
        }}
      >
        <label>
          Search
          <input type="search" name="q" value={filters.q ?? ''} placeholder="serial, asset tag, location, model" maxLength={100} />
        </label>
        <button type="submit">Search</button>
        <FilterSelect label="Decision" value={filters.decision} options={DECISIONS} onChange={setFilter('decision')} />
        <FilterSelect label="In CISA KEV" value={f.get('inKev')} options={YES_NO} onChange={setFilter('inKev')} />
        <FilterSelect label="Severity" value={filters.severity} options={SEVERITIES} onChange={setFilter('severity')} />
        <FilterSelect label="Category" value={filters.category} options={CATEGORIES} onChange={setFilter('category')} />
        <FilterSelect
          label="Manufacturer"
          value={filters.manufacturerId}
          options={(manufacturers.data ?? []).map((m) => [m.id, m.name] as const)}
          onChange={(v) => f.set({ manufacturerId: v, modelId: null })}
        />
        <FilterSelect
          label="Model"
          value={filters.modelId}
          options={(models.data ?? []).map((m) => [m.id, `${m.name} (${m.modelNumber})`] as const)}
          onChange={setFilter('modelId')}
        />
        <label>
          Department
          <input
            type="search"
            value={filters.department ?? ''}
            onChange={(e) => f.set({ department: e.currentTarget.value.trim() })}
            placeholder="exact name"
          />
        </label>
        <FilterSelect label="Connectivity" value={filters.connectivity} options={CONNECTIVITY} onChange={setFilter('connectivity')} />
        <FilterSelect
          label="Sort by"
          value={filters.sort ?? 'priority'}
          options={SORTS}
          any={null}
          onChange={(v) => f.set({ sort: v === 'priority' ? null : v })}
        />
        <button type="button" class="secondary" onClick={() => void downloadCsv()}>
          Download CSV
        </button>
      </form>
      <ErrorNote error={report.error} />
      <p class="status" role="status" aria-live="polite">
        {rows ? `${rows.length} exposed device${rows.length === 1 ? '' : 's'} on this page` : 'Loading…'}
        {updated && ` · updated live at ${updated}`}
      </p>
      <DataTable<Row>
        label="Exposed devices"
        caption="Devices with an open finding"
        rows={rows}
        rowKey={(r) => r.deviceId}
        rowData={(r) => ({ 'data-device-id': r.deviceId })}
        columns={[
          { header: 'Device', cell: (r) => <Link href={`/devices/${r.deviceId}`}>{r.serialNumber}</Link> },
          { header: 'Manufacturer / model', cell: (r) => `${r.manufacturer.name} ${r.model.name}` },
          { header: 'Department', cell: (r) => r.department ?? '—' },
          { header: 'Firmware', cell: (r) => r.firmwareVersion ?? 'unknown' },
          { header: 'Minimum safe version', cell: (r) => r.minimumSafeVersion ?? r.actionText },
          { header: 'Decision', cell: (r) => <DecisionBadge decision={r.decision} /> },
          { header: 'Due', cell: (r) => <DueDate at={r.dueAt} now={now} /> },
          { header: 'KEV', cell: (r) => (r.inKev ? 'yes' : 'no') },
          { header: 'EPSS', cell: (r) => epss(r.highestEpss), class: 'num' },
          { header: 'Severity', cell: (r) => <Badge kind={r.highestSeverity} /> },
          {
            header: 'Advisories',
            cell: (r) =>
              r.advisories.map((a) => (
                <div key={a.id}>
                  <Link href={`/advisories/${a.id}`}>{a.trackingId ?? a.title}</Link>
                </div>
              )),
          },
          { header: 'Connectivity', cell: (r) => <span title={`last seen ${when(r.lastSeenAt)}`}>{r.connectivity.replace('_', ' ')}</span> },
          { header: 'Days exposed', cell: (r) => r.daysExposed, class: 'num' },
        ]}
      />
      <CursorPager filters={f} nextCursor={report.data?.nextCursor} />
    </Layout>
  );
}
