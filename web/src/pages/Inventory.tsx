import { useMemo, useState } from 'preact/hooks';
import { parseUdi } from '../../../src/inventory/udi';
import { api, errorText } from '../api/client';
import type { components } from '../api/schema.gen';
import { CursorPager } from '../components/CursorPager';
import { DataTable } from '../components/DataTable';
import { FormPanel, formText } from '../components/FormPanel';
import { Badge, ErrorNote, Layout, When } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { useQueryFilters } from '../components/useQueryFilters';
import { useLiveEvents } from '../live';
import { Link, navigate } from '../router';
import { can, useSession } from '../session';
import { ShownOnce } from '../components/ShownOnce';
import { DeviceImport } from './DeviceImport';
import { DeviceRowActions, IssuedCredentials } from './DeviceRowActions';

type Connectivity = 'online' | 'offline' | 'never_seen';
type Device = components['schemas']['DeviceResponseDto'];

export function Inventory() {
  const { me } = useSession();
  const f = useQueryFilters();
  const q = f.get('q');
  const devices = useLoad(
    () => api.GET('/api/v1/devices', { params: { query: { q, connectivity: f.get<Connectivity>('connectivity'), cursor: f.cursor, limit: 100 } } }),
    [f.key],
  );
  useLiveEvents(['devices', 'connectivity'], () => devices.reload());
  const [registering, setRegistering] = useState(false);
  const [importing, setImporting] = useState(false);
  // The password lives here only: leaving the page unmounts it, and "Done" drops it.
  const [issued, setIssued] = useState<IssuedCredentials | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const writes = can.writeDevices(me.role);

  return (
    <Layout title="Inventory">
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          f.set({ q: String(new FormData(e.currentTarget).get('q')).trim() });
        }}
      >
        <label>
          Serial number or asset tag
          <input type="search" name="q" defaultValue={q ?? ''} />
        </label>
        <button type="submit">Search</button>
        {writes && !registering && (
          <button type="button" onClick={() => setRegistering(true)}>
            Register a device
          </button>
        )}
        {writes && !importing && (
          <button type="button" onClick={() => setImporting(true)}>
            Import devices
          </button>
        )}
      </form>
      {registering && <RegisterDevice onCancel={() => setRegistering(false)} />}
      {importing && <DeviceImport onImported={() => devices.reload()} onClose={() => setImporting(false)} />}
      {issued && (
        <ShownOnce
          title={`MQTT credentials of ${issued.serial}`}
          secret={issued.password}
          details={[
            ['Username', issued.username],
            ['Topic', issued.topic],
          ]}
          onDone={() => setIssued(null)}
        />
      )}
      <ErrorNote error={devices.error ?? actionError} />
      <DataTable<Device>
        label="Devices"
        caption="Devices"
        rows={devices.data?.items}
        rowKey={(d) => d.id}
        columns={[
          { header: 'Serial number', cell: (d) => <Link href={`/devices/${d.id}`}>{d.serialNumber}</Link> },
          { header: 'Asset tag', cell: (d) => d.assetTag ?? '—' },
          { header: 'Firmware', cell: (d) => d.firmwareVersion ?? 'unknown' },
          { header: 'Department', cell: (d) => d.department ?? '—' },
          { header: 'Location', cell: (d) => d.location ?? '—' },
          { header: 'Status', cell: (d) => d.status },
          { header: 'Connectivity', cell: (d) => <Badge kind={d.connectivity} /> },
          { header: 'Last seen', cell: (d) => <When at={d.lastSeenAt} /> },
          writes && {
            header: 'Actions',
            cell: (d) =>
              d.status === 'decommissioned' ? (
                '—'
              ) : (
                <DeviceRowActions id={d.id} serial={d.serialNumber} onIssued={setIssued} onDecommissioned={() => devices.reload()} onError={setActionError} />
              ),
          },
        ]}
      />
      <CursorPager filters={f} nextCursor={devices.data?.nextCursor} />
    </Layout>
  );
}

/** Registration: a pasted (or scanned) UDI is parsed here by the service's own parser before saving. */
function RegisterDevice(props: { onCancel: () => void }) {
  const models = useLoad(() => api.GET('/api/v1/models', { params: { query: { limit: 500 } } }), []);
  const [udi, setUdi] = useState('');
  const parsed = useMemo(() => (udi.trim() ? parseUdi(udi.trim()) : null), [udi]);

  const submit = async (form: FormData) => {
    const text = (name: string) => formText(form, name);
    const body = {
      modelId: String(form.get('modelId')),
      serialNumber: text('serialNumber') ?? (parsed?.ok ? parsed.udi.serialNumber : undefined) ?? '',
      assetTag: text('assetTag'),
      udi: udi.trim() || undefined,
      firmwareVersion: text('firmwareVersion'),
      location: text('location'),
      department: text('department'),
    };
    const { data, error } = await api.POST('/api/v1/devices', { body });
    if (!data) return errorText(error, 'The device was not registered');
    navigate(`/devices/${data.id}`);
    return null;
  };

  return (
    <FormPanel id="register-title" title="Register a device" heading="h2" submitLabel="Register" onSubmit={submit} onCancel={props.onCancel}>
      <label for="udi">UDI (paste or scan the barcode text)</label>
      <textarea id="udi" name="udi" rows={2} value={udi} onInput={(e) => setUdi(e.currentTarget.value)} aria-describedby="udi-parsed" />
      <div id="udi-parsed" aria-live="polite">
        {parsed && !parsed.ok && <p class="error">UDI not readable: {parsed.error}</p>}
        {parsed?.ok && (
          <dl class="udi">
            <dt>Issuer</dt>
            <dd>{parsed.udi.issuer}</dd>
            <dt>Device identifier</dt>
            <dd>{parsed.udi.deviceIdentifier}</dd>
            <dt>Serial number</dt>
            <dd data-testid="udi-serial">{parsed.udi.serialNumber ?? '—'}</dd>
            <dt>Lot</dt>
            <dd>{parsed.udi.lotNumber ?? '—'}</dd>
            <dt>Expires</dt>
            <dd>{parsed.udi.expirationDate ?? '—'}</dd>
            <dt>Manufactured</dt>
            <dd>{parsed.udi.manufactureDate ?? '—'}</dd>
          </dl>
        )}
      </div>
      <label for="modelId">Model</label>
      <select id="modelId" name="modelId" required>
        {(models.data ?? []).map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({m.modelNumber})
          </option>
        ))}
      </select>
      <label for="serialNumber">Serial number (from the UDI when left empty)</label>
      <input id="serialNumber" name="serialNumber" />
      <label for="assetTag">Asset tag</label>
      <input id="assetTag" name="assetTag" />
      <label for="firmwareVersion">Firmware version</label>
      <input id="firmwareVersion" name="firmwareVersion" />
      <label for="location">Location</label>
      <input id="location" name="location" />
      <label for="department">Department</label>
      <input id="department" name="department" />
    </FormPanel>
  );
}
