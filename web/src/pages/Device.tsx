import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { DataTable } from '../components/DataTable';
import { findingColumns } from '../components/findingColumns';
import { Badge, ErrorNote, Layout, When } from '../components/Layout';
import { DecisionBadge, DueDate, epss, highestDecision } from '../components/Priority';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { Link } from '../router';
import { can, useSession } from '../session';
import { statusText, windowText } from './WorkOrders';

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
  const open = findings.data ? findings.data.filter((f) => f.status === 'open') : null;
  const resolved = findings.data ? findings.data.filter((f) => f.status !== 'open') : null;
  const decision = highestDecision((open ?? []).map((f) => f.priority?.decision));
  const due = (open ?? [])
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
              <dd>
                <When at={d.lastSeenAt} />
              </dd>
              <dt>Battery</dt>
              <dd>{d.batteryPercent === null || d.batteryPercent === undefined ? '—' : `${d.batteryPercent} %`}</dd>
            </dl>
            <h3>Firmware history</h3>
            <ol class="timeline">
              {(history.data ?? []).map((h) => (
                <li key={h.changedAt}>
                  <When at={h.changedAt} /> {h.fromVersion ?? 'unknown'} → {h.toVersion} <span class="muted">({h.source})</span>
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
        <WorkOrdersTable orders={workOrders.data?.items} />
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
                <When at={a.at} /> {a.action} by {a.actorName ?? a.actorKind}
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

function OpenFindingsTable(props: { findings: Finding[] | null }) {
  return (
    <DataTable<Finding>
      label="Open findings"
      rows={props.findings}
      rowKey={(f) => f.id}
      empty="No open finding"
      columns={[
        findingColumns.advisory,
        findingColumns.decision,
        { header: 'Due', cell: (f) => <DueDate at={f.priority?.dueAt} /> },
        { header: 'Inputs', cell: (f) => (f.priority ? <PriorityInputs priority={f.priority} /> : <span class="muted">not decided yet</span>) },
        findingColumns.severity,
        findingColumns.affected,
        findingColumns.fixed,
        findingColumns.detected,
      ]}
    />
  );
}

function WorkOrdersTable(props: { orders: WorkOrder[] | undefined }) {
  return (
    <DataTable<WorkOrder>
      label="Work orders"
      rows={props.orders}
      rowKey={(o) => o.id}
      rowData={(o) => ({ 'data-work-order-id': o.id })}
      empty="No work order"
      columns={[
        { header: 'Status', cell: (o) => <Link href={`/work-orders/${o.id}`}>{statusText(o.status)}</Link> },
        { header: 'Decision', cell: (o) => <DecisionBadge decision={o.decision} /> },
        { header: 'Due', cell: (o) => (o.dueAt ? <DueDate at={o.dueAt} /> : <span class="muted">none</span>) },
        { header: 'Kind', cell: (o) => o.kind },
        { header: 'Target firmware', cell: (o) => o.targetFirmware ?? 'no fix known' },
        { header: 'Maintenance window', cell: windowText },
        { header: 'Assignee', cell: (o) => o.assigneeName ?? '—' },
        { header: 'Created', cell: (o) => <When at={o.createdAt} dayOnly /> },
      ]}
    />
  );
}

function ResolvedFindingsTable(props: { findings: Finding[] | null }) {
  return (
    <DataTable<Finding>
      label="Resolved findings"
      rows={props.findings}
      rowKey={(f) => f.id}
      empty="None resolved yet"
      columns={[
        findingColumns.advisory,
        findingColumns.severity,
        findingColumns.affected,
        findingColumns.fixed,
        findingColumns.detected,
        {
          header: 'Resolved',
          cell: (f) =>
            f.resolvedAt ? (
              <>
                <When at={f.resolvedAt} /> ({f.resolution ?? ''})
              </>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
