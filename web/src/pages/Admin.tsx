import { api } from '../api/client';
import { ErrorNote, Layout, when } from '../components/Layout';
import { useLoad } from '../components/useApi';

/** People and machine keys (read-only here for now; manage them through the API). */
export function Admin() {
  const users = useLoad(() => api.GET('/api/v1/users'), []);
  const keys = useLoad(() => api.GET('/api/v1/api-keys'), []);
  return (
    <Layout title="Admin">
      <ErrorNote error={users.error ?? keys.error} />
      <h2>People</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">MFA</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Disabled</th>
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td>{u.mfaEnrolled ? 'enrolled' : 'not yet'}</td>
              <td>{when(u.lastLoginAt)}</td>
              <td>{when(u.disabledAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>API keys</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {(keys.data ?? []).map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td>
              <td>{k.role}</td>
              <td>{when(k.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
