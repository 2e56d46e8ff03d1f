import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { DataTable } from '../components/DataTable';
import { findingColumns } from '../components/findingColumns';
import { useLoad } from '../components/useApi';
import { Link } from '../router';

type Finding = components['schemas']['FindingDto'];

const SHOWN = 50;

/** The devices an advisory's open findings name: what a new product mapping exposes shows up here. */
export function ExposedDevices(props: { advisoryId: string; version: number }) {
  const findings = useLoad(
    () => api.GET('/api/v1/findings', { params: { query: { advisoryId: props.advisoryId, status: 'open', limit: SHOWN } } }),
    [props.advisoryId, props.version],
  );
  return (
    <section aria-labelledby="exposed-title">
      <h2 id="exposed-title">Exposed devices</h2>
      <DataTable<Finding>
        label="Exposed devices"
        caption="Devices with an open finding for this advisory"
        rows={findings.data?.items}
        rowKey={(f) => f.id}
        empty="None: no device has an open finding for this advisory (products not mapped to a model cannot expose any)."
        columns={[
          { header: 'Device', cell: (f) => <DeviceLink id={f.deviceId} /> },
          { header: 'Firmware at detection', cell: (f) => f.firmwareAtDetection ?? 'unknown' },
          { header: 'Fixed in', cell: (f) => f.fixedVersion ?? 'no fix known' },
          findingColumns.detected,
        ]}
      />
      {findings.data?.nextCursor && <p class="muted">The first {SHOWN} are shown; the Exposure page lists them all.</p>}
    </section>
  );
}

function DeviceLink(props: { id: string }) {
  const device = useLoad(() => api.GET('/api/v1/devices/{id}', { params: { path: { id: props.id } } }), [props.id]);
  return <Link href={`/devices/${props.id}`}>{device.data ? device.data.serialNumber : props.id}</Link>;
}
