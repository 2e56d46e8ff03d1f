import { useState } from 'preact/hooks';
import { api, CONSOLE_HEADER } from '../api/client';
import { Badge, ErrorNote, Layout, when } from '../components/Layout';
import { DecisionBadge, DECISIONS, DueDate, epss } from '../components/Priority';
import { ScrollRegion } from '../components/ScrollRegion';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { Link, navigate, useLocation, withQuery } from '../router';

const PAGE_SIZE = 100;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
const CATEGORIES = ['wearable', 'implantable', 'facility', 'other'] as const;
const CONNECTIVITY = ['online', 'offline', 'never_seen'] as const;
const SORTS = [
  ['priority', 'priority (decision, EPSS, CVSS)'],
  ['dueAt', 'due date, soonest first'],
  ['lastSeen', 'last seen, most recent first'],
] as const;
type Severity = (typeof SEVERITIES)[number];
type Category = (typeof CATEGORIES)[number];
type Decision = (typeof DECISIONS)[number];
type Connectivity = (typeof CONNECTIVITY)[number];
type Sort = (typeof SORTS)[number][0];

/** The outdated-firmware report, filtered, sorted and paged by the server; the filters are the URL. */
export function Exposure() {
  const { path, query } = useLocation();
  const inKev = query.get('inKev');
  const filters = {
    decision: (query.get('decision') || undefined) as Decision | undefined,
    inKev: inKev === 'true' ? true : inKev === 'false' ? false : undefined,
    severity: (query.get('severity') || undefined) as Severity | undefined,
    category: (query.get('category') || undefined) as Category | undefined,
    department: query.get('department') || undefined,
    manufacturerId: query.get('manufacturerId') || undefined,
    modelId: query.get('modelId') || undefined,
    connectivity: (query.get('connectivity') || undefined) as Connectivity | undefined,
    q: query.get('q') || undefined,
    sort: (query.get('sort') || undefined) as Sort | undefined,
    cursor: query.get('cursor') || undefined,
  };
  const key = query.toString();
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
    [key],
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

  const setFilter = (name: string, value: string) => navigate(withQuery(path, query, { [name]: value, cursor: null }));
  const downloadCsv = async () => {
    const params = new URLSearchParams(query);
    params.delete('cursor');
    const res = await fetch(`/api/v1/reports/outdated-firmware?${params.toString()}`, { headers: { Accept: 'text/csv', [CONSOLE_HEADER]: '1' } });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = 'outdated-firmware.csv';
    a.click();
    URL.revokeObjectURL(url);
  };

  const rows = report.data?.items ?? [];
  const now = Date.now();
  return (
    <Layout title="Exposure">
      <form
        class="filters"
        aria-label="Filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter('q', (new FormData(e.currentTarget).get('q') as string).trim());
        }}
      >
        <label>
          Search
          <input type="search" name="q" value={filters.q ?? ''} placeholder="serial, asset tag, location, model" maxLength={100} />
        </label>
        <button type="submit">Search</button>
        <label>
          Decision
          <select value={filters.decision ?? ''} onChange={(e) => setFilter('decision', e.currentTarget.value)}>
            <option value="">any</option>
            {DECISIONS.map((d) => (
              <option key={d} value={d}>
                {d.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          In CISA KEV
          <select value={inKev ?? ''} onChange={(e) => setFilter('inKev', e.currentTarget.value)}>
            <option value="">any</option>
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        </label>
        <label>
          Severity
          <select value={filters.severity ?? ''} onChange={(e) => setFilter('severity', e.currentTarget.value)}>
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select value={filters.category ?? ''} onChange={(e) => setFilter('category', e.currentTarget.value)}>
            <option value="">any</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Manufacturer
          <select
            value={filters.manufacturerId ?? ''}
            onChange={(e) => navigate(withQuery(path, query, { manufacturerId: e.currentTarget.value, modelId: null, cursor: null }))}
          >
            <option value="">any</option>
            {(manufacturers.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Model
          <select value={filters.modelId ?? ''} onChange={(e) => setFilter('modelId', e.currentTarget.value)}>
            <option value="">any</option>
            {(models.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.modelNumber})
              </option>
            ))}
          </select>
        </label>
        <label>
          Department
          <input
            type="search"
            value={filters.department ?? ''}
            onChange={(e) => setFilter('department', e.currentTarget.value.trim())}
            placeholder="exact name"
          />
        </label>
        <label>
          Connectivity
          <select value={filters.connectivity ?? ''} onChange={(e) => setFilter('connectivity', e.currentTarget.value)}>
            <option value="">any</option>
            {CONNECTIVITY.map((c) => (
              <option key={c} value={c}>
                {c.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select value={filters.sort ?? 'priority'} onChange={(e) => setFilter('sort', e.currentTarget.value === 'priority' ? '' : e.currentTarget.value)}>
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => void downloadCsv()}>
          Download CSV
        </button>
      </form>
      <ErrorNote error={report.error} />
      <p class="status" role="status" aria-live="polite">
        {report.data ? `${rows.length} exposed device${rows.length === 1 ? '' : 's'} on this page` : 'Loading…'}
        {updated && ` · updated live at ${updated}`}
      </p>
      <ScrollRegion label="Exposed devices">
        <table class="data">
          <caption class="visually-hidden">Devices with an open finding</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Manufacturer / model</th>
              <th scope="col">Department</th>
              <th scope="col">Firmware</th>
              <th scope="col">Minimum safe version</th>
              <th scope="col">Decision</th>
              <th scope="col">Due</th>
              <th scope="col">KEV</th>
              <th scope="col">EPSS</th>
              <th scope="col">Severity</th>
              <th scope="col">Advisories</th>
              <th scope="col">Connectivity</th>
              <th scope="col">Days exposed</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.deviceId} data-device-id={r.deviceId}>
                <td>
                  <Link href={`/devices/${r.deviceId}`}>{r.serialNumber}</Link>
                </td>
                <td>
                  {r.manufacturer.name} {r.model.name}
                </td>
                <td>{r.department ?? '—'}</td>
                <td>{r.firmwareVersion ?? 'unknown'}</td>
                <td>{r.minimumSafeVersion ?? r.actionText}</td>
                <td>
                  <DecisionBadge decision={r.decision} />
                </td>
                <td>
                  <DueDate at={r.dueAt} now={now} />
                </td>
                <td>{r.inKev ? 'yes' : 'no'}</td>
                <td class="num">{epss(r.highestEpss)}</td>
                <td>
                  <Badge kind={r.highestSeverity} />
                </td>
                <td>
                  {r.advisories.map((a) => (
                    <div key={a.id}>
                      <Link href={`/advisories/${a.id}`}>{a.trackingId ?? a.title}</Link>
                    </div>
                  ))}
                </td>
                <td title={`last seen ${when(r.lastSeenAt)}`}>{r.connectivity.replace('_', ' ')}</td>
                <td class="num">{r.daysExposed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <nav class="pager" aria-label="Pages">
        {filters.cursor && <Link href={withQuery(path, query, { cursor: null })}>First page</Link>}
        {report.data?.nextCursor && <Link href={withQuery(path, query, { cursor: report.data.nextCursor })}>Next page</Link>}
      </nav>
    </Layout>
  );
}
