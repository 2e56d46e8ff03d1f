import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { Badge, ErrorNote, Layout, when } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { Link } from '../router';
import { can, useSession } from '../session';

export function DevicePage(props: { id: string }) {
  const { me } = useSession();
  const path = { params: { path: { id: props.id } } };
  const device = useLoad(() => api.GET('/api/v1/devices/{id}', path), [props.id]);
  const history = useLoad(() => api.GET('/api/v1/devices/{id}/firmware-history', path), [props.id]);
  const findings = useLoad(() => api.GET('/api/v1/devices/{id}/findings', path), [props.id]);
  const audit = useLoad(
    () =>
      can.seeAudit(me.role)
        ? api.GET('/api/v1/audit', { params: { query: { entityType: 'device', entityId: props.id, limit: 50 } } })
        : Promise.resolve({ data: null }),
    [props.id],
  );
  const modelId = device.data?.modelId;
  const model = useLoad(() => (modelId ? api.GET('/api/v1/models/{id}', { params: { path: { id: modelId } } }) : Promise.resolve({ data: null })), [modelId]);
  useLiveEvents(['findings', 'devices', 'connectivity'], (e) => {
    if (!e.truncated && !e.deviceIds.includes(props.id)) return;
    device.reload();
    history.reload();
    findings.reload();
  });

  const d = device.data;
  const open = (findings.data ?? []).filter((f) => f.status === 'open');
  const resolved = (findings.data ?? []).filter((f) => f.status !== 'open');
  return (
    <Layout title={d ? `Device ${d.serialNumber}` : 'Device'}>
      <ErrorNote error={device.error} />
      {d && (
        <div class="columns">
          <section aria-labelledby="identity">
            <h2 id="identity">Identity</h2>
            <dl>
              <dt>Model</dt>
              <dd>{model.data ? `${model.data.name} (${model.data.modelNumber})` : d.modelId}</dd>
              <dt>Serial number</dt>
              <dd>{d.serialNumber}</dd>
              <dt>Asset tag</dt>
              <dd>{d.assetTag ?? '—'}</dd>
              <dt>UDI</dt>
              <dd>{d.udi ?? '—'}</dd>
              <dt>Location</dt>
              <dd>{d.location ?? '—'}</dd>
              <dt>Department</dt>
              <dd>{d.department ?? '—'}</dd>
              <dt>Status</dt>
              <dd>{d.status}</dd>
            </dl>
          </section>
          <section aria-labelledby="connectivity">
            <h2 id="connectivity">Firmware and connectivity</h2>
            <dl>
              <dt>Firmware</dt>
              <dd data-testid="firmware">{d.firmwareVersion ?? 'unknown'}</dd>
              <dt>Connectivity</dt>
              <dd>
                <Badge kind={d.connectivity} />
              </dd>
              <dt>Last seen</dt>
              <dd>{when(d.lastSeenAt)}</dd>
              <dt>Battery</dt>
              <dd>{d.batteryPercent === null || d.batteryPercent === undefined ? '—' : `${d.batteryPercent} %`}</dd>
            </dl>
            <h3>Firmware history</h3>
            <ol class="timeline">
              {(history.data ?? []).map((h) => (
                <li key={h.changedAt}>
                  <time dateTime={h.changedAt}>{when(h.changedAt)}</time> {h.fromVersion ?? 'unknown'} → {h.toVersion} <span class="muted">({h.source})</span>
                </li>
              ))}
              {history.data?.length === 0 && <li>No change recorded</li>}
            </ol>
          </section>
        </div>
      )}
      <section aria-labelledby="open-findings">
        <h2 id="open-findings">Open findings</h2>
        <FindingsTable findings={open} empty="No open finding" />
      </section>
      <section aria-labelledby="resolved-findings">
        <h2 id="resolved-findings">Resolved findings</h2>
        <FindingsTable findings={resolved} empty="None resolved yet" />
      </section>
      {audit.data && (
        <section aria-labelledby="audit">
          <h2 id="audit">Audit trail</h2>
          <ol class="timeline">
            {audit.data.items.map((a) => (
              <li key={a.id}>
                <time dateTime={a.at}>{when(a.at)}</time> {a.action} by {a.actorName ?? a.actorKind}
              </li>
            ))}
          </ol>
        </section>
      )}
    </Layout>
  );
}

type Finding = components['schemas']['FindingDto'];

function FindingsTable(props: { findings: Finding[]; empty: string }) {
  if (props.findings.length === 0) return <p>{props.empty}</p>;
  return (
    <table class="data">
      <thead>
        <tr>
          <th scope="col">Advisory</th>
          <th scope="col">Severity</th>
          <th scope="col">Affected</th>
          <th scope="col">Minimum safe version</th>
          <th scope="col">Detected</th>
          <th scope="col">Resolved</th>
        </tr>
      </thead>
      <tbody>
        {props.findings.map((f) => (
          <tr key={f.id}>
            <td>
              <Link href={`/advisories/${f.advisoryId}`}>{f.trackingId ?? f.advisoryTitle}</Link>
            </td>
            <td>
              <Badge kind={f.severity} />
            </td>
            <td>{f.affectedVersions}</td>
            <td>{f.fixedVersion ?? 'no fix known'}</td>
            <td>{when(f.detectedAt)}</td>
            <td>{f.resolvedAt ? `${when(f.resolvedAt)} (${f.resolution ?? ''})` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
