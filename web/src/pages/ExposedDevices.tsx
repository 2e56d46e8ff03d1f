import { api } from '../api/client';
import { when } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { Link } from '../router';
import { ScrollRegion } from '../components/ScrollRegion';

const SHOWN = 50;

/** The devices an advisory's open findings name: what a new product mapping exposes shows up here. */
export function ExposedDevices(props: { advisoryId: string; version: number }) {
  const findings = useLoad(
    () => api.GET('/api/v1/findings', { params: { query: { advisoryId: props.advisoryId, status: 'open', limit: SHOWN } } }),
    [props.advisoryId, props.version],
  );
  const items = findings.data?.items ?? [];
  return (
    <section aria-labelledby="exposed-title">
      <h2 id="exposed-title">Exposed devices</h2>
      {findings.data && items.length === 0 && <p>None: no device has an open finding for this advisory (products not mapped to a model cannot expose any).</p>}
      {items.length > 0 && (
        <ScrollRegion label="Exposed devices">
          <table class="data">
            <caption class="visually-hidden">Devices with an open finding for this advisory</caption>
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Firmware at detection</th>
                <th scope="col">Fixed in</th>
                <th scope="col">Detected</th>
              </tr>
            </thead>
            <tbody>
              {items.map((f) => (
                <tr key={f.id}>
                  <td>
                    <DeviceLink id={f.deviceId} />
                  </td>
                  <td>{f.firmwareAtDetection ?? 'unknown'}</td>
                  <td>{f.fixedVersion ?? 'no fix known'}</td>
                  <td>{when(f.detectedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {findings.data?.nextCursor && <p class="muted">The first {SHOWN} are shown; the Exposure page lists them all.</p>}
    </section>
  );
}

function DeviceLink(props: { id: string }) {
  const device = useLoad(() => api.GET('/api/v1/devices/{id}', { params: { path: { id: props.id } } }), [props.id]);
  return <Link href={`/devices/${props.id}`}>{device.data ? device.data.serialNumber : props.id}</Link>;
}
