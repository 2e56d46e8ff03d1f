import { useState } from 'preact/hooks';
import { api } from '../api/client';
import type { components } from '../api/schema.gen';
import { DataTable } from '../components/DataTable';
import { Badge, ErrorNote, Layout, When } from '../components/Layout';
import { useLoad } from '../components/useApi';
import { Link, useLocation, withQuery } from '../router';
import { can, useSession } from '../session';
import { CsafUpload } from './CsafUpload';

const PAGE_SIZE = 50;
type Advisory = components['schemas']['AdvisoryResponseDto'];

/** Advisories; a manufacturer's list is its own products' only (the API confines it). */
export function Advisories() {
  const { me } = useSession();
  const { path, query } = useLocation();
  const offset = Number(query.get('offset') ?? 0) || 0;
  const [uploads, setUploads] = useState(0);
  const list = useLoad(() => api.GET('/api/v1/advisories', { params: { query: { limit: PAGE_SIZE, offset } } }), [offset, uploads]);
  const items = list.data ?? [];
  return (
    <Layout title="Advisories">
      {can.importCsaf(me.role) && <CsafUpload onImported={() => setUploads((n) => n + 1)} />}
      <ErrorNote error={list.error} />
      <DataTable<Advisory>
        label="Advisories"
        caption="Advisories"
        rows={list.data}
        rowKey={(a) => a.id}
        empty="No advisory yet."
        columns={[
          { header: 'Tracking id', cell: (a) => <Link href={`/advisories/${a.id}`}>{a.trackingId ?? a.id.slice(0, 8)}</Link> },
          { header: 'Title', cell: (a) => a.title },
          { header: 'Severity', cell: (a) => <Badge kind={a.severity} /> },
          { header: 'CVEs', cell: (a) => a.cves.join(', ') || '—' },
          { header: 'Published', cell: (a) => <When at={a.publishedAt} /> },
          { header: 'Status', cell: (a) => a.status },
        ]}
      />
      <nav class="pager" aria-label="Pages">
        {offset > 0 && <Link href={withQuery(path, query, { offset: String(Math.max(0, offset - PAGE_SIZE)) })}>Previous page</Link>}
        {items.length === PAGE_SIZE && <Link href={withQuery(path, query, { offset: String(offset + PAGE_SIZE) })}>Next page</Link>}
      </nav>
    </Layout>
  );
}
