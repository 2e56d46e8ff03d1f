import { useState } from 'preact/hooks';
import { api, errorText } from '../api/client';
import type { components } from '../api/schema.gen';
import { ConfirmButton } from '../components/ConfirmButton';
import { DataTable } from '../components/DataTable';
import { FormPanel, formText } from '../components/FormPanel';
import { ErrorNote, Layout, When } from '../components/Layout';
import { ShownOnce } from '../components/ShownOnce';
import { useLoad } from '../components/useApi';
import { useSession } from '../session';
import '../write.css';

type Role = components['schemas']['CreateUserDto']['role'];
type User = components['schemas']['UserResponseDto'];
type ApiKey = components['schemas']['ApiKeyResponseDto'];
const ROLES: Role[] = ['admin', 'biomed', 'it', 'manufacturer'];

/** People and machine keys: create, reset a lost second factor, issue and revoke keys (admin only, as the API). */
export function Admin() {
  const { me } = useSession();
  const users = useLoad(() => api.GET('/api/v1/users'), []);
  const keys = useLoad(() => api.GET('/api/v1/api-keys'), []);
  const manufacturers = useLoad(() => api.GET('/api/v1/manufacturers'), []);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // The new key's secret lives here only: leaving the page or "Done" drops it.
  const [newKey, setNewKey] = useState<{ name: string; key: string } | null>(null);

  const act = async (run: () => Promise<{ error?: unknown; response: Response }>, ok: string, reload: () => void) => {
    setError(null);
    setDone(null);
    const { error, response } = await run();
    if (!response.ok) return setError(errorText(error, 'The request failed'));
    setDone(ok);
    reload();
  };

  return (
    <Layout title="Admin">
      <ErrorNote error={users.error ?? keys.error ?? error} />
      <p class="ok" aria-live="polite">
        {done}
      </p>
      <h2>People</h2>
      <CreateUser
        manufacturers={manufacturers.data ?? []}
        onCreated={(email) => (setDone(`Created ${email}: give them the password out of band.`), users.reload())}
      />
      <DataTable<User>
        label="People"
        rows={users.data}
        rowKey={(u) => u.id}
        columns={[
          { header: 'Email', cell: (u) => u.email },
          { header: 'Role', cell: (u) => u.role },
          { header: 'MFA', cell: (u) => (u.mfaEnrolled ? 'enrolled' : 'not yet') },
          { header: 'Last sign-in', cell: (u) => <When at={u.lastLoginAt} /> },
          { header: 'Disabled', cell: (u) => <When at={u.disabledAt} /> },
          {
            header: 'Actions',
            cell: (u) =>
              u.disabledAt || u.id === me.id ? (
                '—'
              ) : (
                <span class="row-actions">
                  {u.mfaEnrolled && (
                    <ConfirmButton
                      label="Reset MFA"
                      labelFor={u.email}
                      question={`Reset the second factor of ${u.email}? Their sessions and recovery codes end; they enrol again at next sign-in.`}
                      confirmLabel="Reset MFA"
                      onConfirm={() =>
                        act(() => api.POST('/api/v1/users/{id}/reset-mfa', { params: { path: { id: u.id } } }), `Reset the MFA of ${u.email}.`, users.reload)
                      }
                    />
                  )}
                  <ConfirmButton
                    label="Disable"
                    labelFor={u.email}
                    question={`Disable ${u.email}? Every session of theirs ends at once.`}
                    confirmLabel="Disable"
                    onConfirm={() => act(() => api.DELETE('/api/v1/users/{id}', { params: { path: { id: u.id } } }), `Disabled ${u.email}.`, users.reload)}
                  />
                </span>
              ),
          },
        ]}
      />
      <h2>API keys</h2>
      {newKey && <ShownOnce title={`API key ${newKey.name}`} secret={newKey.key} onDone={() => setNewKey(null)} />}
      <CreateApiKey
        manufacturers={manufacturers.data ?? []}
        onCreated={(name, key) => {
          setNewKey({ name, key });
          keys.reload();
        }}
      />
      <DataTable<ApiKey>
        label="API keys"
        rows={keys.data}
        rowKey={(k) => k.id}
        columns={[
          { header: 'Name', cell: (k) => k.name },
          { header: 'Role', cell: (k) => k.role },
          { header: 'Prefix', cell: (k) => <code>{k.keyPrefix}</code> },
          { header: 'Created', cell: (k) => <When at={k.createdAt} /> },
          { header: 'Last used', cell: (k) => <When at={k.lastUsedAt} /> },
          { header: 'Revoked', cell: (k) => <When at={k.revokedAt} /> },
          {
            header: 'Actions',
            cell: (k) =>
              k.revokedAt ? (
                '—'
              ) : (
                <ConfirmButton
                  label="Revoke"
                  labelFor={k.name}
                  question={`Revoke ${k.name}? It stops working at once.`}
                  confirmLabel="Revoke"
                  onConfirm={() => act(() => api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id: k.id } } }), `Revoked ${k.name}.`, keys.reload)}
                />
              ),
          },
        ]}
      />
    </Layout>
  );
}

type Manufacturer = components['schemas']['ManufacturerResponseDto'];

/** Role, and the manufacturer a manufacturer-role account is confined to. */
function RoleFields(props: { prefix: string; manufacturers: Manufacturer[] }) {
  const [role, setRole] = useState<Role>('biomed');
  return (
    <>
      <label for={`${props.prefix}-role`}>Role</label>
      <select id={`${props.prefix}-role`} name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {role === 'manufacturer' && (
        <>
          <label for={`${props.prefix}-manufacturer`}>Manufacturer (the account sees only its data)</label>
          <select id={`${props.prefix}-manufacturer`} name="manufacturerId" required>
            <option value="">Choose…</option>
            {props.manufacturers.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </>
      )}
    </>
  );
}

function CreateUser(props: { manufacturers: Manufacturer[]; onCreated: (email: string) => void }) {
  const submit = async (form: FormData) => {
    const body = {
      email: formText(form, 'email') ?? '',
      displayName: formText(form, 'displayName') ?? '',
      role: formText(form, 'role') as Role,
      manufacturerId: formText(form, 'manufacturerId'),
      password: String(form.get('password') ?? ''),
    };
    const { data, error } = await api.POST('/api/v1/users', { body });
    if (!data) return errorText(error, 'The person was not created');
    props.onCreated(data.email);
    return null;
  };
  return (
    <FormPanel id="create-user-title" title="Create a person" opener="Create a person" submitLabel="Create" onSubmit={submit}>
      <label for="user-email">Email</label>
      <input id="user-email" name="email" type="email" autocomplete="off" required />
      <label for="user-name">Name</label>
      <input id="user-name" name="displayName" required />
      <RoleFields prefix="user" manufacturers={props.manufacturers} />
      <label for="user-password">Initial password (at least 12 characters; give it to them out of band)</label>
      <input id="user-password" name="password" type="password" autocomplete="new-password" required minLength={12} />
    </FormPanel>
  );
}

function CreateApiKey(props: { manufacturers: Manufacturer[]; onCreated: (name: string, key: string) => void }) {
  const submit = async (form: FormData) => {
    const name = formText(form, 'name') ?? '';
    const { data, error } = await api.POST('/api/v1/api-keys', {
      body: { name, role: formText(form, 'role') as Role, manufacturerId: formText(form, 'manufacturerId') },
    });
    if (!data) return errorText(error, 'No key was issued');
    props.onCreated(name, data.key);
    return null;
  };
  return (
    <FormPanel id="create-key-title" title="Create an API key" opener="Create an API key" submitLabel="Create the key" onSubmit={submit}>
      <label for="key-name">Name (what uses it)</label>
      <input id="key-name" name="name" required />
      <RoleFields prefix="key" manufacturers={props.manufacturers} />
    </FormPanel>
  );
}
