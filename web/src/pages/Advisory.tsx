import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Badge, ErrorNote, Layout, when } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { can, useSession } from '../session';
import { ExposedDevices } from './ExposedDevices';
import { MapProduct } from './MapProduct';
import { ScrollRegion } from '../components/ScrollRegion';

export function AdvisoryPage(props: { id: string }) {
  const { me } = useSession();
  const [mapped, setMapped] = useState(0);
  const advisory = useLoad(() => api.GET('/api/v1/advisories/{id}', { params: { path: { id: props.id } } }), [props.id, mapped]);
  const mapping = can.mapProducts(me.role);
  const models = useLoad(() => api.GET('/api/v1/models', { params: { query: { limit: 500 } } }), []);
  const manufacturers = useLoad(() => (mapping ? api.GET('/api/v1/manufacturers') : Promise.resolve({ data: [] })), [mapping]);
  const modelName = (id: string) => {
    const m = models.data?.find((x) => x.id === id);
    return m ? `${m.name} (${m.modelNumber})` : id;
  };
  const a = advisory.data;
  return (
    <Layout title={a ? a.title : 'Advisory'}>
      <ErrorNote error={advisory.error} />
      {a && (
        <>
          <dl>
            <dt>Tracking id</dt>
            <dd>{a.trackingId ?? '—'}</dd>
            <dt>Severity</dt>
            <dd>
              <Badge kind={a.severity} /> {a.cvssScore ?? ''}
            </dd>
            <dt>CVEs</dt>
            <dd>{a.cves.join(', ') || '—'}</dd>
            <dt>Published</dt>
            <dd>{when(a.publishedAt)}</dd>
            <dt>Status</dt>
            <dd>{a.status}</dd>
            <dt>Exposed devices</dt>
            <dd>{a.affectedDevices}</dd>
            <dt>Exposure unknown</dt>
            <dd>{a.exposureUnknownDevices}</dd>
          </dl>
          {a.remediation && <p>{a.remediation}</p>}
          <h2>Mapped products</h2>
          <ScrollRegion label="Mapped products">
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Affected versions</th>
                  <th scope="col">Fixed in</th>
                </tr>
              </thead>
              <tbody>
                {a.affected.map((p) => (
                  <tr key={`${p.modelId}-${p.versions}`}>
                    <td>{modelName(p.modelId)}</td>
                    <td>{p.versions}</td>
                    <td>{p.fixedVersion ?? 'no fix known'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <h2>Products not mapped to a model</h2>
          {a.unmappedProducts.length === 0 ? (
            <p>None</p>
          ) : (
            <ScrollRegion label="Products not mapped to a model">
              <table class="data">
                <thead>
                  <tr>
                    <th scope="col">Vendor</th>
                    <th scope="col">Product</th>
                    <th scope="col">Versions</th>
                    <th scope="col">Why</th>
                    {mapping && <th scope="col">Map to a model</th>}
                  </tr>
                </thead>
                <tbody>
                  {a.unmappedProducts.map((p) => (
                    <tr key={p.productRef}>
                      <td>{p.vendor}</td>
                      <td>{p.productName}</td>
                      <td>{p.versionExpression ?? '—'}</td>
                      <td>{p.detail ?? p.reason}</td>
                      {mapping && (
                        <td>
                          <MapProduct
                            vendor={p.vendor}
                            productName={p.productName}
                            productRef={p.productRef}
                            models={models.data ?? []}
                            manufacturers={manufacturers.data ?? []}
                            onMapped={() => setMapped((n) => n + 1)}
                          />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          )}
          {can.seeDevices(me.role) && <ExposedDevices advisoryId={props.id} version={mapped} />}
        </>
      )}
    </Layout>
  );
}
