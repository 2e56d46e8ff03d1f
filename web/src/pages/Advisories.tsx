import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { Badge, ErrorNote, Layout, when } from '../components/Layout';
import { ScrollRegion } from '../components/ScrollRegion';
import { useLoad } from '../components/useApi';
import { Link, useLocation, withQuery } from '../router';
import { can, useSession } from '../session';
import { CsafUpload } from './CsafUpload';

const PAGE_SIZE = 50;

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
      <ScrollRegion label="Advisories">
        <table class="data">
          <caption class="visually-hidden">Advisories</caption>
          <thead>
            <tr>
              <th scope="col">Tracking id</th>
              <th scope="col">Title</th>
              <th scope="col">Severity</th>
              <th scope="col">CVEs</th>
              <th scope="col">Published</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>
                  <Link href={`/advisories/${a.id}`}>{a.trackingId ?? a.id.slice(0, 8)}</Link>
                </td>
                <td>{a.title}</td>
                <td>
                  <Badge kind={a.severity} />
                </td>
                <td>{a.cves.join(', ') || '—'}</td>
                <td>{when(a.publishedAt)}</td>
                <td>{a.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      {items.length === 0 && list.data && <p>No advisory yet.</p>}
      <nav class="pager" aria-label="Pages">
        {offset > 0 && <Link href={withQuery(path, query, { offset: String(Math.max(0, offset - PAGE_SIZE)) })}>Previous page</Link>}
        {items.length === PAGE_SIZE && <Link href={withQuery(path, query, { offset: String(offset + PAGE_SIZE) })}>Next page</Link>}
      </nav>
    </Layout>
  );
}
