/** Tenants: the list, their policy overrides at a glance, and "New tenant". */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError, seg } from '../api';
import { Badge } from '../components/Badge';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { formatDateTime, formatDuration } from '../format';
import { usePaged } from '../hooks';
import { Link, navigate } from '../router';
import type { Tenant } from '../types';

export function TenantsPage() {
  const { envId } = useEnvironment();
  const tenants = usePaged<Tenant>(envPath(envId, '/tenants?limit=50'));
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Organisations or workspaces inside this environment. A tenant can make the session policy stricter for its members."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New tenant
          </button>
        }
      />
      <section className="card" aria-label="Tenants">
        {tenants.error && tenants.items.length === 0 ? (
          <ErrorState error={tenants.error} onRetry={tenants.reload} />
        ) : tenants.loading && tenants.items.length === 0 ? (
          <Loading />
        ) : tenants.items.length === 0 ? (
          <EmptyState title="No tenants yet">Create one with "New tenant", then add users to it.</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="stack-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">ID</th>
                    <th scope="col">Policy overrides</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {tenants.items.map((tenant) => (
                    <tr key={tenant.id}>
                      <td className="cell-wrap" data-label="Name">
                        <Link to={`/tenants/${seg(tenant.id)}`}>{tenant.name}</Link>
                      </td>
                      <td className="mono cell-wrap" data-label="ID">
                        {tenant.id}
                      </td>
                      <td data-label="Overrides">
                        <PolicySummary tenant={tenant} />
                      </td>
                      <td className="nowrap" data-label="Created">
                        {formatDateTime(tenant.createdAt)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore hasMore={tenants.hasMore} loading={tenants.loading} onMore={tenants.loadMore} />
          </>
        )}
      </section>
      {creating ? <NewTenantDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function PolicySummary({ tenant }: { tenant: Tenant }) {
  const policy = tenant.sessionPolicy;
  const parts: string[] = [];
  if (policy.idleTimeoutSeconds !== undefined)
    parts.push(`idle ${formatDuration(policy.idleTimeoutSeconds)}`);
  if (policy.absoluteTimeoutSeconds !== undefined)
    parts.push(`absolute ${formatDuration(policy.absoluteTimeoutSeconds)}`);
  if (policy.maxConcurrentSessions !== undefined) parts.push(`max ${policy.maxConcurrentSessions} sessions`);
  if (policy.onLimit !== undefined)
    parts.push(policy.onLimit === 'reject' ? 'reject at limit' : 'evict oldest');
  if (parts.length === 0) return <span className="muted">Inherits the environment's</span>;
  return (
    <span className="badges">
      {parts.map((part) => (
        <Badge key={part} tone="info">
          {part}
        </Badge>
      ))}
    </span>
  );
}

function NewTenantDialog({ onClose }: { onClose: () => void }) {
  const { envId } = useEnvironment();
  const toast = useToast();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), ...(id.trim() ? { id: id.trim() } : {}) };
      const tenant = await admin<Tenant>(envPath(envId, '/tenants'), { method: 'POST', body });
      toast(`Tenant ${tenant.name} created.`);
      onClose();
      navigate(`/tenants/${seg(tenant.id)}`);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const general = formError(error, ['/name', '/id']);
  return (
    <Dialog
      title="New tenant"
      onClose={onClose}
      footer={
        <FormFooter formId="new-tenant" submitLabel="Create tenant" disabled={busy} onCancel={onClose} />
      }
    >
      <form id="new-tenant" className="form" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          required
          value={name}
          error={fieldError(error, '/name')}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label="ID"
          hint="Optional: letters, digits, '.', '_', ':' and '-'. Generated when empty. Apps see it in the access token's tenant claim."
          value={id}
          spellCheck={false}
          error={fieldError(error, '/id')}
          onChange={(e) => setId(e.target.value)}
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
