import { api } from '../api/client';
import { Badge, ErrorNote, Layout, when } from '../components/Layout';
import { useLoad } from '../components/useApi';

export function AdvisoryPage(props: { id: string }) {
  const advisory = useLoad(() => api.GET('/api/v1/advisories/{id}', { params: { path: { id: props.id } } }), [props.id]);
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
                  <td>{p.modelId}</td>
                  <td>{p.versions}</td>
                  <td>{p.fixedVersion ?? 'no fix known'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Products not mapped to a model</h2>
          {a.unmappedProducts.length === 0 ? (
            <p>None</p>
          ) : (
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">Vendor</th>
                  <th scope="col">Product</th>
                  <th scope="col">Versions</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {a.unmappedProducts.map((p) => (
                  <tr key={p.productRef}>
                    <td>{p.vendor}</td>
                    <td>{p.productName}</td>
                    <td>{p.versionExpression ?? '—'}</td>
                    <td>{p.detail ?? p.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </Layout>
  );
}
