import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { DataTable } from '../components/DataTable';
import { ErrorNote, Layout, When, when } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { can, useSession } from '../session';

const REJECTIONS_SHOWN = 100;
type Rogue = components['schemas']['UnknownDeviceDto'];
type Rejection = components['schemas']['RejectionDto'];

/** Heartbeats from devices the inventory does not know (or no longer lists), and the heartbeats the service refused. */
export function RogueDevices() {
  const { me } = useSession();
  const rogues = useLoad(() => api.GET('/api/v1/ingest/unknown-devices', { params: { query: { limit: 1000 } } }), []);
  const [updatedAt, setUpdatedAt] = useState<string | null>(null);
  useLiveEvents(['rogues'], () => {
    rogues.reload();
    setUpdatedAt(new Date().toISOString());
  });
  return (
    <Layout title="Rogue devices">
      <ErrorNote error={rogues.error} />
      <p class="status" aria-live="polite">
        {updatedAt ? `Updated live at ${when(updatedAt)}` : 'Updates live when an unknown device is heard.'}
      </p>
      <DataTable<Rogue>
        label="Rogue devices"
        caption="Devices heard but not in the inventory"
        rows={rogues.data}
        rowKey={(r) => `${r.claimedDeviceId}-${r.reason}`}
        rowData={(r) => ({ 'data-claimed-id': r.claimedDeviceId })}
        empty="No unknown device heard."
        columns={[
          { header: 'Claimed device id', cell: (r) => <code>{r.claimedDeviceId}</code> },
          { header: 'Why', cell: (r) => r.reason.replace(/_/g, ' ') },
          { header: 'Claimed serial', cell: (r) => r.claimedSerial ?? '—' },
          { header: 'Claimed firmware', cell: (r) => r.claimedFirmware ?? '—' },
          { header: 'Address', cell: (r) => r.ipAddress ?? '—' },
          { header: 'Heartbeats', cell: (r) => r.heartbeatCount, class: 'num' },
          { header: 'First seen', cell: (r) => <When at={r.firstSeenAt} /> },
          { header: 'Last seen', cell: (r) => <When at={r.lastSeenAt} /> },
        ]}
      />
      {can.seeRejections(me.role) && <Rejections />}
    </Layout>
  );
}

/** The heartbeats refused as unreadable or invalid, newest first (the service keeps the newest ones only). */
function Rejections() {
  const rejections = useLoad(() => api.GET('/api/v1/ingest/rejections', { params: { query: { limit: REJECTIONS_SHOWN } } }), []);
  return (
    <section aria-labelledby="rejections-title">
      <h2 id="rejections-title">Refused heartbeats</h2>
      <ErrorNote error={rejections.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={() => rejections.reload()}>
          Refresh refused heartbeats
        </button>
      </div>
      <DataTable<Rejection>
        label="Refused heartbeats"
        caption="Heartbeats the service refused, newest first"
        rows={rejections.data?.items}
        rowKey={(r) => r.id}
        empty="No heartbeat refused."
        columns={[
          { header: 'Received', cell: (r) => <When at={r.receivedAt} /> },
          { header: 'Reason', cell: (r) => r.reason.replace(/_/g, ' ') },
          { header: 'Detail', cell: (r) => r.detail },
          { header: 'Topic', cell: (r) => <code>{r.topic}</code> },
        ]}
      />
      {rejections.data && (
        <p class="muted">
          The newest {REJECTIONS_SHOWN} shown; the service keeps the newest {rejections.data.retained.toLocaleString('en')} and counts all of them in /metrics.
        </p>
      )}
    </section>
  );
}
