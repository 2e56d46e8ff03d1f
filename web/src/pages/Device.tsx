import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { Badge, day, ErrorNote, Layout, when } from '../components/Layout';
import { DecisionBadge, DueDate, epss, highestDecision } from '../components/Priority';
import { ScrollRegion } from '../components/ScrollRegion';
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
  const workOrders = useLoad(() => api.GET('/api/v1/work-orders', { params: { query: { deviceId: props.id, limit: 100 } } }), [props.id]);
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
    workOrders.reload();
  });

  const d = device.data;
  const open = (findings.data ?? []).filter((f) => f.status === 'open');
  const resolved = (findings.data ?? []).filter((f) => f.status !== 'open');
  const decision = highestDecision(open.map((f) => f.priority?.decision));
  const due = open
    .map((f) => f.priority?.dueAt)
    .filter((d): d is string => !!d)
    .sort()[0];
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
              <dt>Decision</dt>
              <dd data-testid="device-decision">
                <DecisionBadge decision={decision} /> <span class="muted">(most urgent of its open findings)</span>
              </dd>
              <dt>Due</dt>
              <dd>
                <DueDate at={due} />
              </dd>
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
        <OpenFindingsTable findings={open} />
      </section>
      <section aria-labelledby="work-orders">
        <h2 id="work-orders">Work orders</h2>
        <ErrorNote error={workOrders.error} />
        <WorkOrdersTable orders={workOrders.data?.items ?? []} />
      </section>
      <section aria-labelledby="resolved-findings">
        <h2 id="resolved-findings">Resolved findings</h2>
        <ResolvedFindingsTable findings={resolved} />
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
type Priority = components['schemas']['PriorityDto'];
type WorkOrder = components['schemas']['WorkOrderDto'];

/** The SSVC inputs a decision was made from, in the order of SSVC's deployer tree. */
const INPUTS: Array<[keyof Priority & string, string]> = [
  ['exploitation', 'exploitation'],
  ['automatable', 'automatable'],
  ['systemExposure', 'system exposure'],
  ['safetyImpact', 'safety impact'],
  ['missionImpact', 'mission impact'],
  ['humanImpact', 'human impact'],
];

/** Each input with its value; one nobody set says "assumed" in words, beside the conservative value it took. */
function PriorityInputs(props: { priority: Priority }) {
  const p = props.priority;
  return (
    <ul class="inputs">
      {INPUTS.map(([key, label]) => (
        <li key={key}>
          {label}: {String(p[key]).replace(/_/g, ' ')}
          {(p.assumed as string[]).includes(key) && <strong class="assumed"> (assumed)</strong>}
        </li>
      ))}
      <li>CISA KEV: {p.inKev ? (p.knownRansomware ? 'yes, known ransomware use' : 'yes') : 'no'}</li>
      <li>
        EPSS: {epss(p.epss)}
        {p.epssPercentile !== null && p.epssPercentile !== undefined && ` (percentile ${(p.epssPercentile * 100).toFixed(1)})`}
      </li>
    </ul>
  );
}

function OpenFindingsTable(props: { findings: Finding[] }) {
  if (props.findings.length === 0) return <p>No open finding</p>;
  return (
    <ScrollRegion label="Open findings">
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Advisory</th>
            <th scope="col">Decision</th>
            <th scope="col">Due</th>
            <th scope="col">Inputs</th>
            <th scope="col">Severity</th>
            <th scope="col">Affected</th>
            <th scope="col">Minimum safe version</th>
            <th scope="col">Detected</th>
          </tr>
        </thead>
        <tbody>
          {props.findings.map((f) => (
            <tr key={f.id}>
              <td>
                <Link href={`/advisories/${f.advisoryId}`}>{f.trackingId ?? f.advisoryTitle}</Link>
              </td>
              <td>
                <DecisionBadge decision={f.priority?.decision} />
              </td>
              <td>
                <DueDate at={f.priority?.dueAt} />
              </td>
              <td>{f.priority ? <PriorityInputs priority={f.priority} /> : <span class="muted">not decided yet</span>}</td>
              <td>
                <Badge kind={f.severity} />
              </td>
              <td>{f.affectedVersions}</td>
              <td>{f.fixedVersion ?? 'no fix known'}</td>
              <td>{when(f.detectedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function WorkOrdersTable(props: { orders: WorkOrder[] }) {
  if (props.orders.length === 0) return <p>No work order</p>;
  return (
    <ScrollRegion label="Work orders">
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Decision</th>
            <th scope="col">Due</th>
            <th scope="col">Kind</th>
            <th scope="col">Target firmware</th>
            <th scope="col">Maintenance window</th>
            <th scope="col">Assignee</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {props.orders.map((o) => (
            <tr key={o.id} data-work-order-id={o.id}>
              <td>
                <Link href={`/work-orders/${o.id}`}>{o.status.replace(/_/g, ' ')}</Link>
              </td>
              <td>
                <DecisionBadge decision={o.decision} />
              </td>
              <td>{o.dueAt ? <DueDate at={o.dueAt} /> : <span class="muted">none</span>}</td>
              <td>{o.kind}</td>
              <td>{o.targetFirmware ?? 'no fix known'}</td>
              <td>
                {o.maintenanceWindow
                  ? `${when(o.maintenanceWindow.start)} to ${when(o.maintenanceWindow.end)}`
                  : o.proposedWindow
                    ? `proposed ${when(o.proposedWindow.start)}`
                    : '—'}
              </td>
              <td>{o.assigneeName ?? '—'}</td>
              <td>{day(o.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function ResolvedFindingsTable(props: { findings: Finding[] }) {
  if (props.findings.length === 0) return <p>None resolved yet</p>;
  return (
    <ScrollRegion label="Resolved findings">
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
    </ScrollRegion>
  );
}
