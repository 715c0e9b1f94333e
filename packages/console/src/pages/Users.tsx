/** Users: search by email, the paged list, and "New user". */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError, queryString, seg } from '../api';
import { Badge } from '../components/Badge';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { usePaged } from '../hooks';
import { Link, navigate } from '../router';
import type { User } from '../types';

export function UsersPage() {
  const { envId } = useEnvironment();
  const [email, setEmail] = useState('');
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const users = usePaged<User>(envPath(envId, `/users${queryString({ q: search, limit: 50 })}`));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearch(email.trim());
  };

  return (
    <>
      <PageHeader
        title="Users"
        description="People who can sign in to this environment's applications."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New user
          </button>
        }
      />
      <section className="card" aria-label="Users">
        <form className="card-head inline-form" aria-label="Search users" onSubmit={submit}>
          <TextField
            label="Search by email"
            type="search"
            value={email}
            placeholder="Part of an email, e.g. @example.com"
            autoComplete="off"
            onChange={(event) => setEmail(event.target.value)}
          />
          <button type="submit" className="button">
            Search
          </button>
          {search ? (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => {
                setEmail('');
                setSearch('');
              }}
            >
              Clear
            </button>
          ) : null}
        </form>
        {users.error && users.items.length === 0 ? (
          <ErrorState error={users.error} onRetry={users.reload} />
        ) : users.loading && users.items.length === 0 ? (
          <Loading />
        ) : users.items.length === 0 ? (
          <EmptyState title={search ? 'No user’s email contains this' : 'No users yet'}>
            {search ? 'The search ignores letter case.' : 'Create one with "New user".'}
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="stack-table">
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">ID</th>
                  </tr>
                </thead>
                <tbody>
                  {users.items.map((user) => (
                    <tr key={user.id}>
                      <td className="cell-wrap" data-label="Email">
                        <Link to={`/users/${seg(user.id)}`}>{user.email}</Link>
                      </td>
                      <td className="cell-wrap" data-label="Name">
                        {user.name ?? <span className="muted">—</span>}
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={user.status} />
                      </td>
                      <td className="mono cell-wrap" data-label="ID">
                        {user.id}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore hasMore={users.hasMore} loading={users.loading} onMore={users.loadMore} />
          </>
        )}
      </section>
      {creating ? <NewUserDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

export function StatusBadge({ status }: { status: User['status'] }) {
  return status === 'active' ? <Badge tone="success">Active</Badge> : <Badge tone="danger">Disabled</Badge>;
}

function NewUserDialog({ onClose }: { onClose: () => void }) {
  const { envId } = useEnvironment();
  const toast = useToast();
  const [form, setForm] = useState({ email: '', name: '', password: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        email: form.email.trim(),
        password: form.password,
        ...(form.name.trim() ? { name: form.name.trim() } : {}),
      };
      const user = await admin<User>(envPath(envId, '/users'), { method: 'POST', body });
      toast(`User ${user.email} created.`);
      onClose();
      navigate(`/users/${seg(user.id)}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const general = formError(error, ['/email', '/name', '/password']);
  return (
    <Dialog
      title="New user"
      onClose={onClose}
      footer={
        <FormFooter
          formId="new-user"
          submitLabel={busy ? 'Creating…' : 'Create user'}
          disabled={busy}
          onCancel={onClose}
        />
      }
    >
      <form id="new-user" className="form" onSubmit={submit} noValidate>
        <TextField
          label="Email"
          type="email"
          required
          autoComplete="off"
          value={form.email}
          error={fieldError(error, '/email')}
          onChange={(event) => setForm({ ...form, email: event.target.value })}
        />
        <TextField
          label="Name"
          hint="Optional. Shown in the app and in the console."
          value={form.name}
          error={fieldError(error, '/name')}
          onChange={(event) => setForm({ ...form, name: event.target.value })}
        />
        <TextField
          label="Password"
          type="password"
          required
          autoComplete="new-password"
          hint="At least 8 characters, and not one of the most common or breached passwords."
          value={form.password}
          error={fieldError(error, '/password')}
          onChange={(event) => setForm({ ...form, password: event.target.value })}
        />
        {general ? (
          <p className="form-error" role="alert">
            {general}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
