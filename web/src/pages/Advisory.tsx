import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { DataTable } from '../components/DataTable';
import { Badge, ErrorNote, Layout, When } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { can, useSession } from '../session';
import { ExposedDevices } from './ExposedDevices';
import { MapProduct } from './MapProduct';

type Affected = components['schemas']['AdvisoryDetailsDto']['affected'][number];
type Unmapped = components['schemas']['AdvisoryDetailsDto']['unmappedProducts'][number];

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
            <dd>
              <When at={a.publishedAt} />
            </dd>
            <dt>Status</dt>
            <dd>{a.status}</dd>
            <dt>Exposed devices</dt>
            <dd>{a.affectedDevices}</dd>
            <dt>Exposure unknown</dt>
            <dd>{a.exposureUnknownDevices}</dd>
          </dl>
          {a.remediation && <p>{a.remediation}</p>}
          <h2>Mapped products</h2>
          <DataTable<Affected>
            label="Mapped products"
            rows={a.affected}
            rowKey={(p) => `${p.modelId}-${p.versions}`}
            columns={[
              { header: 'Model', cell: (p) => modelName(p.modelId) },
              { header: 'Affected versions', cell: (p) => p.versions },
              { header: 'Fixed in', cell: (p) => p.fixedVersion ?? 'no fix known' },
            ]}
          />
          <h2>Products not mapped to a model</h2>
          <DataTable<Unmapped>
            label="Products not mapped to a model"
            rows={a.unmappedProducts}
            rowKey={(p) => p.productRef}
            empty="None"
            columns={[
              { header: 'Vendor', cell: (p) => p.vendor },
              { header: 'Product', cell: (p) => p.productName },
              { header: 'Versions', cell: (p) => p.versionExpression ?? '—' },
              { header: 'Why', cell: (p) => p.detail ?? p.reason },
              mapping && {
                header: 'Map to a model',
                cell: (p) => (
                  <MapProduct
                    vendor={p.vendor}
                    productName={p.productName}
                    productRef={p.productRef}
                    models={models.data ?? []}
                    manufacturers={manufacturers.data ?? []}
                    onMapped={() => setMapped((n) => n + 1)}
                  />
                ),
              },
            ]}
          />
          {can.seeDevices(me.role) && <ExposedDevices advisoryId={props.id} version={mapped} />}
        </>
      )}
    </Layout>
  );
}
