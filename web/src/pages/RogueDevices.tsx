import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { ErrorNote, Layout, when } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { useLiveEvents } from '../live';
import { can, useSession } from '../session';
import { ScrollRegion } from '../components/ScrollRegion';

const REJECTIONS_SHOWN = 100;

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
      <ScrollRegion label="Rogue devices">
        <table class="data">
          <caption class="visually-hidden">Devices heard but not in the inventory</caption>
          <thead>
            <tr>
              <th scope="col">Claimed device id</th>
              <th scope="col">Why</th>
              <th scope="col">Claimed serial</th>
              <th scope="col">Claimed firmware</th>
              <th scope="col">Address</th>
              <th scope="col">Heartbeats</th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {(rogues.data ?? []).map((r) => (
              <tr key={`${r.claimedDeviceId}-${r.reason}`} data-claimed-id={r.claimedDeviceId}>
                <td>
                  <code>{r.claimedDeviceId}</code>
                </td>
                <td>{r.reason.replace(/_/g, ' ')}</td>
                <td>{r.claimedSerial ?? '—'}</td>
                <td>{r.claimedFirmware ?? '—'}</td>
                <td>{r.ipAddress ?? '—'}</td>
                <td class="num">{r.heartbeatCount}</td>
                <td>{when(r.firstSeenAt)}</td>
                <td>{when(r.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {rogues.data?.length === 0 && <p>No unknown device heard.</p>}
      {can.seeRejections(me.role) && <Rejections />}
    </Layout>
  );
}

/** The heartbeats refused as unreadable or invalid, newest first (the service keeps the newest ones only). */
function Rejections() {
  const rejections = useLoad(() => api.GET('/api/v1/ingest/rejections', { params: { query: { limit: REJECTIONS_SHOWN } } }), []);
  const items = rejections.data?.items ?? [];
  return (
    <section aria-labelledby="rejections-title">
      <h2 id="rejections-title">Refused heartbeats</h2>
      <ErrorNote error={rejections.error} />
      <div class="actions">
        <button type="button" class="secondary" onClick={() => rejections.reload()}>
          Refresh refused heartbeats
        </button>
      </div>
      {rejections.data && items.length === 0 && <p>No heartbeat refused.</p>}
      {items.length > 0 && (
        <ScrollRegion label="Refused heartbeats">
          <table class="data">
            <caption class="visually-hidden">Heartbeats the service refused, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Reason</th>
                <th scope="col">Detail</th>
                <th scope="col">Topic</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id}>
                  <td>{when(r.receivedAt)}</td>
                  <td>{r.reason.replace(/_/g, ' ')}</td>
                  <td>{r.detail}</td>
                  <td>
                    <code>{r.topic}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {rejections.data && (
        <p class="muted">
          The newest {REJECTIONS_SHOWN} shown; the service keeps the newest {rejections.data.retained.toLocaleString('en')} and counts all of them in /metrics.
        </p>
      )}
    </section>
  );
}
