import { api } from '../api/client';
import { ErrorNote, Layout } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { Link } from '../router';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
const CONNECTIVITY = ['online', 'offline', 'never_seen'] as const;
/** Counting a connectivity class pages the device list: past this it says "500+". */
const COUNT_LIMIT = 500;

async function connectivityCounts() {
  const counts = await Promise.all(
    CONNECTIVITY.map(async (c) => {
      const { data, error } = await api.GET('/api/v1/devices', { params: { query: { connectivity: c, status: 'active', limit: COUNT_LIMIT } } });
      if (!data) throw error;
      return [c, `${data.items.length}${data.nextCursor ? '+' : ''}`] as const;
    }),
  );
  return { data: Object.fromEntries(counts) as Record<(typeof CONNECTIVITY)[number], string> };
}

export function Overview() {
  const summary = useLoad(() => api.GET('/api/v1/reports/summary'), []);
  const rogues = useLoad(() => api.GET('/api/v1/ingest/unknown-devices', { params: { query: { limit: 1000 } } }), []);
  const connectivity = useLoad(() => connectivityCounts().catch((error: unknown) => ({ error })), []);
  useLiveEvents(['findings', 'devices'], () => {
    summary.reload();
    connectivity.reload();
  });
  const s = summary.data;
  return (
    <Layout title="Overview">
      <ErrorNote error={summary.error ?? rogues.error ?? connectivity.error} />
      <section aria-labelledby="totals" class="cards">
        <h2 id="totals" class="visually-hidden">
          Totals
        </h2>
        <Card label="Exposed devices" value={s?.totals.exposedDevices} href="/exposure" />
        <Card label="Open findings" value={s?.totals.openFindings} />
        <Card label="Exposure unknown" value={s?.totals.exposureUnknownDevices} />
        <Card label="Rogue devices seen" value={rogues.data?.length} href="/rogue-devices" />
      </section>
      <div class="columns">
        <section aria-labelledby="by-connectivity">
          <h2 id="by-connectivity">Active devices by connectivity</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Connectivity</th>
                <th scope="col">Devices</th>
              </tr>
            </thead>
            <tbody>
              {CONNECTIVITY.map((c) => (
                <tr key={c}>
                  <td>
                    <Link href={`/devices?connectivity=${c}`}>{c.replace('_', ' ')}</Link>
                  </td>
                  <td class="num">{connectivity.data?.[c] ?? '…'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="by-severity">
          <h2 id="by-severity">Exposed devices by severity</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Highest severity</th>
                <th scope="col">Devices</th>
              </tr>
            </thead>
            <tbody>
              {SEVERITIES.map((sev) => (
                <tr key={sev}>
                  <td>
                    <Link href={`/exposure?severity=${sev}`}>{sev}</Link>
                  </td>
                  <td class="num">{s ? s.bySeverity[sev] : '…'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="by-manufacturer">
          <h2 id="by-manufacturer">Manufacturers with most exposure</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Manufacturer</th>
                <th scope="col">Devices</th>
                <th scope="col">Findings</th>
              </tr>
            </thead>
            <tbody>
              {(s?.byManufacturer ?? []).slice(0, 10).map((m) => (
                <tr key={m.id}>
                  <td>
                    <Link href={`/exposure?manufacturerId=${m.id}`}>{m.name}</Link>
                  </td>
                  <td class="num">{m.devices}</td>
                  <td class="num">{m.findings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
    </Layout>
  );
}

function Card(props: { label: string; value: number | undefined; href?: string }) {
  const value = props.value ?? '…';
  return (
    <div class="card">
      <div class="card-value">{props.href ? <Link href={props.href}>{value}</Link> : value}</div>
      <div class="card-label">{props.label}</div>
    </div>
  );
}
