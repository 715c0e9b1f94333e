/** One tenant: its name and session-policy overrides ("Save"), and its members. */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError, seg } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { SelectField, TextField } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { POLICY_HINTS } from '../components/PolicyHints';
import { ErrorState, Loading } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { formatDuration, parseSeconds } from '../format';
import { useLoad } from '../hooks';
import { effectiveTenantPolicy } from '../policy';
import { Link, navigate } from '../router';
import type { OnLimit, Tenant } from '../types';
import { TenantMembers } from './TenantMembers';

export function TenantPage({ tenantId }: { tenantId: string }) {
  const { envId } = useEnvironment();
  const tenant = useLoad(
    (signal) => admin<Tenant>(envPath(envId, `/tenants/${seg(tenantId)}`), { signal }),
    [envId, tenantId],
  );
  const [deleting, setDeleting] = useState(false);
  const toast = useToast();

  const breadcrumb = (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/tenants">Tenants</Link> <span aria-hidden="true">/</span>{' '}
      <span aria-current="page">{tenant.data?.name ?? tenantId}</span>
    </nav>
  );
  if (tenant.error && !tenant.data) {
    return (
      <>
        {breadcrumb}
        <ErrorState error={tenant.error} onRetry={tenant.reload} />
      </>
    );
  }
  if (!tenant.data) return <Loading />;
  const current = tenant.data;

  return (
    <>
      {breadcrumb}
      <PageHeader
        title={current.name}
        description={
          <>
            ID <code>{current.id}</code>
          </>
        }
        actions={
          <button type="button" className="button button-danger-outline" onClick={() => setDeleting(true)}>
            Delete tenant
          </button>
        }
      />
      <div className="stack">
        <TenantSettings key={JSON.stringify(current)} tenant={current} onSaved={tenant.set} />
        <TenantMembers tenantId={current.id} />
      </div>
      {deleting ? (
        <ConfirmDialog
          title="Delete this tenant?"
          confirmLabel="Delete tenant"
          danger
          onConfirm={async () => {
            await admin(envPath(envId, `/tenants/${seg(current.id)}`), { method: 'DELETE' });
            toast(`Tenant ${current.name} deleted.`);
            navigate('/tenants');
          }}
          onClose={() => setDeleting(false)}
        >
          <p>
            <strong>{current.name}</strong> and all its memberships are deleted. Members' next refresh for it
            is refused.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

function TenantSettings({ tenant, onSaved }: { tenant: Tenant; onSaved: (tenant: Tenant) => void }) {
  const { envId, environment } = useEnvironment();
  const toast = useToast();
  const policy = tenant.sessionPolicy;
  const [form, setForm] = useState({
    name: tenant.name,
    idle: text(policy.idleTimeoutSeconds),
    absolute: text(policy.absoluteTimeoutSeconds),
    max: text(policy.maxConcurrentSessions),
    onLimit: policy.onLimit ?? '',
  });
  const [error, setError] = useState<unknown>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const inherited = environment?.sessionPolicy;
  const effective = inherited ? effectiveTenantPolicy(inherited, policy) : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const numbers = {
      idle: parseSeconds(form.idle),
      absolute: parseSeconds(form.absolute),
      max: parseSeconds(form.max),
    };
    const problems: Record<string, string> = {};
    for (const [key, value] of Object.entries(numbers))
      if (value === 'invalid') problems[key] = 'Enter a whole number, or leave it empty to inherit.';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await admin<Tenant>(envPath(envId, `/tenants/${seg(tenant.id)}`), {
        method: 'PATCH',
        body: {
          ...(form.name.trim() !== tenant.name ? { name: form.name.trim() } : {}),
          sessionPolicy: {
            idleTimeoutSeconds: numbers.idle,
            absoluteTimeoutSeconds: numbers.absolute,
            maxConcurrentSessions: numbers.max,
            onLimit: form.onLimit === '' ? null : (form.onLimit as OnLimit),
          },
        },
      });
      toast('Tenant saved. Members get the new policy at their next refresh.');
      onSaved(updated);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const inheritsNote = (value: number | null | undefined, unit = 'seconds') =>
    `Empty inherits the environment's: ${value === null || value === undefined ? 'off' : unit === 'seconds' ? formatDuration(value) : value}.`;
  const pointers = [
    '/name',
    '/sessionPolicy/idleTimeoutSeconds',
    '/sessionPolicy/absoluteTimeoutSeconds',
    '/sessionPolicy/maxConcurrentSessions',
    '/sessionPolicy/onLimit',
  ];
  const general = formError(error, pointers);

  return (
    <form className="card" aria-labelledby="tenant-settings-title" onSubmit={submit} noValidate>
      <div className="card-head">
        <div>
          <h2 id="tenant-settings-title">Name and session policy</h2>
          <p>
            Overrides of the environment's session policy for this tenant's members. Empty fields inherit.
          </p>
        </div>
      </div>
      <div className="card-body form">
        <TextField
          label="Name"
          value={form.name}
          error={fieldError(error, '/name')}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
        />
        <div className="form-grid">
          <TextField
            label="Idle timeout (seconds)"
            inputMode="numeric"
            suffix="s"
            value={form.idle}
            placeholder="Inherit"
            hint={
              <>
                {POLICY_HINTS.idle}
                <p>{inheritsNote(inherited?.idleTimeoutSeconds)}</p>
              </>
            }
            error={local.idle ?? fieldError(error, '/sessionPolicy/idleTimeoutSeconds')}
            onChange={(e) => setForm({ ...form, idle: e.target.value })}
          />
          <TextField
            label="Absolute timeout (seconds)"
            inputMode="numeric"
            suffix="s"
            value={form.absolute}
            placeholder="Inherit"
            hint={
              <>
                {POLICY_HINTS.absolute}
                <p>{inheritsNote(inherited?.absoluteTimeoutSeconds)}</p>
              </>
            }
            error={local.absolute ?? fieldError(error, '/sessionPolicy/absoluteTimeoutSeconds')}
            onChange={(e) => setForm({ ...form, absolute: e.target.value })}
          />
          <TextField
            label="Max concurrent sessions"
            inputMode="numeric"
            value={form.max}
            placeholder="Inherit"
            hint={
              <>
                {POLICY_HINTS.max}
                <p>{inheritsNote(inherited?.maxConcurrentSessions, 'count')}</p>
              </>
            }
            error={local.max ?? fieldError(error, '/sessionPolicy/maxConcurrentSessions')}
            onChange={(e) => setForm({ ...form, max: e.target.value })}
          />
          <SelectField
            label="At the session limit"
            value={form.onLimit}
            hint={POLICY_HINTS.onLimit}
            error={fieldError(error, '/sessionPolicy/onLimit')}
            onChange={(e) => setForm({ ...form, onLimit: e.target.value })}
            options={[
              {
                value: '',
                label: `Inherit (${inherited?.onLimit === 'reject' ? 'refuse the new sign-in' : 'end the oldest'})`,
              },
              { value: 'evict_oldest', label: 'End the oldest session' },
              { value: 'reject', label: 'Refuse the new sign-in' },
            ]}
          />
        </div>
        {effective ? (
          <p className="callout">
            In force for members now: idle <strong>{formatDuration(effective.idleTimeoutSeconds)}</strong>,
            absolute <strong>{formatDuration(effective.absoluteTimeoutSeconds)}</strong>, at most{' '}
            <strong>{effective.maxConcurrentSessions ?? 'unlimited'}</strong> sessions. A member of several
            tenants gets the strictest absolute timeout of them all.
          </p>
        ) : null}
        {general ? (
          <p className="form-error" role="alert">
            {general}
          </p>
        ) : null}
      </div>
      <div className="card-foot">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
