import { api } from '../api/client';
import { ErrorNote, Layout, when } from '../components/Layout';
import { useLoad } from '../components/useApi';

/** Heartbeats from devices the inventory does not know (or no longer lists). */
export function RogueDevices() {
  const rogues = useLoad(() => api.GET('/api/v1/ingest/unknown-devices', { params: { query: { limit: 1000 } } }), []);
  return (
    <Layout title="Rogue devices">
      <ErrorNote error={rogues.error} />
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
            <tr key={`${r.claimedDeviceId}-${r.reason}`}>
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
      {rogues.data?.length === 0 && <p>No unknown device heard.</p>}
    </Layout>
  );
}
