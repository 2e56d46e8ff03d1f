import type { ComponentChildren } from 'preact';
import { api } from '../api/client';
import { ExposureChart } from '../components/ExposureChart';
import { ErrorNote, Layout } from '../components/Layout';
import { DecisionBadge, DECISIONS } from '../components/Priority';
import { DataTable } from '../components/DataTable';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { Link } from '../router';

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
const CONNECTIVITY = ['online', 'offline', 'never_seen'] as const;
/** Counting a connectivity class pages the device list: past this it says "500+". */
const COUNT_LIMIT = 500;
const HISTORY_DAYS = 90;

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
  const history = useLoad(() => api.GET('/api/v1/reports/exposure-history', { params: { query: { days: HISTORY_DAYS } } }), []);
  useLiveEvents(['findings', 'devices'], () => {
    summary.reload();
    connectivity.reload();
    history.reload();
  });
  const s = summary.data;
  return (
    <Layout title="Overview">
      <ErrorNote error={summary.error ?? rogues.error ?? connectivity.error ?? history.error} />
      <section aria-labelledby="totals" class="cards">
        <h2 id="totals" class="visually-hidden">
          Totals
        </h2>
        <Card label="Exposed devices" value={s?.totals.exposedDevices} href="/exposure" />
        <Card label="Exposed through a KEV-listed CVE" value={s?.totals.kevExposedDevices} href="/exposure?inKev=true" />
        <Card label="Act immediately" value={s?.byDecision.immediate} href="/exposure?decision=immediate" />
        <Card label="Open findings" value={s?.totals.openFindings} />
        <Card label="Exposure unknown" value={s?.totals.exposureUnknownDevices} />
        <Card label="Rogue devices seen" value={rogues.data?.length} href="/rogue-devices" />
      </section>
      <div class="columns">
        <section aria-labelledby="by-decision">
          <h2 id="by-decision">Exposed devices by decision</h2>
          <CountTable
            headers={['SSVC decision', 'Devices']}
            rows={[
              ...DECISIONS.map((d) => ({
                key: d,
                name: (
                  <Link href={`/exposure?decision=${d}`}>
                    <DecisionBadge decision={d} />
                  </Link>
                ),
                counts: [s?.byDecision[d]],
              })),
              { key: 'undecided', name: 'undecided or risk accepted', counts: [s?.byDecision.undecided] },
            ]}
          />
        </section>
        <section aria-labelledby="history" class="wide">
          <h2 id="history">Exposed devices, last {HISTORY_DAYS} days</h2>
          {history.data ? <ExposureChart days={history.data.days} /> : <p>Loading…</p>}
        </section>
      </div>
      <div class="columns">
        <section aria-labelledby="by-connectivity">
          <h2 id="by-connectivity">Active devices by connectivity</h2>
          <CountTable
            headers={['Connectivity', 'Devices']}
            rows={CONNECTIVITY.map((c) => ({
              key: c,
              name: <Link href={`/devices?connectivity=${c}`}>{c.replace('_', ' ')}</Link>,
              counts: [connectivity.data?.[c]],
            }))}
          />
        </section>
        <section aria-labelledby="by-severity">
          <h2 id="by-severity">Exposed devices by severity</h2>
          <CountTable
            headers={['Highest severity', 'Devices']}
            rows={SEVERITIES.map((sev) => ({ key: sev, name: <Link href={`/exposure?severity=${sev}`}>{sev}</Link>, counts: [s?.bySeverity[sev]] }))}
          />
        </section>
        <section aria-labelledby="by-model">
          <h2 id="by-model">Models with most exposure</h2>
          <DataTable
            label="Models with most exposure"
            rows={s?.byModel}
            rowKey={(m) => m.id}
            columns={[
              {
                header: 'Model',
                cell: (m) => (
                  <Link href={`/exposure?modelId=${m.id}`}>
                    {m.name} ({m.modelNumber})
                  </Link>
                ),
              },
              { header: 'Manufacturer', cell: (m) => m.manufacturer },
              { header: 'Devices', cell: (m) => m.devices, class: 'num' },
              { header: 'Findings', cell: (m) => m.findings, class: 'num' },
            ]}
          />
        </section>
        <section aria-labelledby="by-manufacturer">
          <h2 id="by-manufacturer">Manufacturers with most exposure</h2>
          <CountTable
            headers={['Manufacturer', 'Devices', 'Findings']}
            rows={(s?.byManufacturer ?? []).slice(0, 10).map((m) => ({
              key: m.id,
              name: <Link href={`/exposure?manufacturerId=${m.id}`}>{m.name}</Link>,
              counts: [m.devices, m.findings],
            }))}
          />
        </section>
      </div>
    </Layout>
  );
}

/**
 * A short table of counts: a name and its figures ("…" until loaded). Two or three narrow columns
 * fit at 320 px, so it needs no scroll region (DataTable is for the wide ones).
 */
function CountTable(props: { headers: string[]; rows: Array<{ key: string; name: ComponentChildren; counts: Array<number | string | undefined> }> }) {
  return (
    <table>
      <thead>
        <tr>
          {props.headers.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key}>
            <td>{r.name}</td>
            {r.counts.map((c, i) => (
              <td key={i} class="num">
                {c ?? '…'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
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
