import { useState } from 'preact/hooks';
import { api, CONSOLE_HEADER } from '../api/client';
import { Badge, ErrorNote, Layout, when } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { Link, navigate, useLocation, withQuery } from '../router';

const PAGE_SIZE = 100;
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
const CATEGORIES = ['wearable', 'implantable', 'facility', 'other'] as const;
type Severity = (typeof SEVERITIES)[number];
type Category = (typeof CATEGORIES)[number];

/** The outdated-firmware report, filtered and paged by the server; the filters are the URL. */
export function Exposure() {
  const { path, query } = useLocation();
  const filters = {
    severity: (query.get('severity') || undefined) as Severity | undefined,
    category: (query.get('category') || undefined) as Category | undefined,
    department: query.get('department') || undefined,
    manufacturerId: query.get('manufacturerId') || undefined,
    cursor: query.get('cursor') || undefined,
  };
  const key = query.toString();
  const report = useLoad(
    () =>
      api.GET('/api/v1/reports/outdated-firmware', {
        params: { query: { ...filters, severity: filters.severity ? [filters.severity] : undefined, limit: PAGE_SIZE } },
      }),
    [key],
  );
  const manufacturers = useLoad(() => api.GET('/api/v1/manufacturers'), []);
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
  return (
    <Layout title="Exposure">
      <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
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
          <select value={filters.manufacturerId ?? ''} onChange={(e) => setFilter('manufacturerId', e.currentTarget.value)}>
            <option value="">any</option>
            {(manufacturers.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
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
        <button type="button" onClick={() => void downloadCsv()}>
          Download CSV
        </button>
      </form>
      <ErrorNote error={report.error} />
      <p class="status" role="status" aria-live="polite">
        {report.data ? `${rows.length} exposed device${rows.length === 1 ? '' : 's'} on this page` : 'Loading…'}
        {updated && ` · updated live at ${updated}`}
      </p>
      <table class="data">
        <caption class="visually-hidden">Devices with an open finding</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Manufacturer / model</th>
            <th scope="col">Department</th>
            <th scope="col">Firmware</th>
            <th scope="col">Minimum safe version</th>
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
      <nav class="pager" aria-label="Pages">
        {filters.cursor && <Link href={withQuery(path, query, { cursor: null })}>First page</Link>}
        {report.data?.nextCursor && <Link href={withQuery(path, query, { cursor: report.data.nextCursor })}>Next page</Link>}
      </nav>
    </Layout>
  );
}
