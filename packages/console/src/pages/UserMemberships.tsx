/** A user's tenants, roles in each, and the session policy in force for them. */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError, seg } from '../api';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { SelectField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { RolePicker } from '../components/RolePicker';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { formatDuration } from '../format';
import { useLoad } from '../hooks';
import {
  type EffectivePolicy,
  listAllTenants,
  type UserMembership,
  userEffectivePolicy,
  userMemberships,
} from '../memberships';
import { Link } from '../router';
import type { Role, SessionPolicy, Tenant, User } from '../types';

interface Data {
  memberships: UserMembership[];
  tenants: Tenant[];
  roles: Role[];
  policy: EffectivePolicy;
}

const DEFAULT_POLICY: SessionPolicy = {
  idleTimeoutSeconds: null,
  absoluteTimeoutSeconds: null,
  maxConcurrentSessions: null,
  onLimit: 'evict_oldest',
};

export function UserMemberships({ userId }: { userId: string }) {
  const { envId, environment } = useEnvironment();
  const toast = useToast();
  const data = useLoad<Data>(
    async (signal) => {
      const [user, tenants, roles] = await Promise.all([
        admin<User & { memberships?: UserMembership[] }>(envPath(envId, `/users/${seg(userId)}`), { signal }),
        listAllTenants(envId, signal),
        admin<Role[]>(envPath(envId, '/roles'), { signal }),
      ]);
      const memberships = await userMemberships(envId, user, tenants, signal);
      const policy = await userEffectivePolicy(
        envId,
        userId,
        { environment: environment?.sessionPolicy ?? DEFAULT_POLICY, memberships, tenants },
        signal,
      );
      return { memberships, tenants, roles, policy };
    },
    [envId, userId, environment?.sessionPolicy],
  );
  const [editing, setEditing] = useState<UserMembership | 'new' | null>(null);
  const [removing, setRemoving] = useState<UserMembership | null>(null);

  const head = (
    <div className="card-head">
      <div>
        <h2 id="memberships-title">Tenants and roles</h2>
        <p>The tenants this user belongs to, and the session policy that applies in each.</p>
      </div>
      <button type="button" className="button" onClick={() => setEditing('new')} disabled={!data.data}>
        Add to tenant
      </button>
    </div>
  );
  if (data.error && !data.data) {
    return (
      <section className="card" aria-labelledby="memberships-title">
        {head}
        <ErrorState error={data.error} onRetry={data.reload} />
      </section>
    );
  }
  if (!data.data || !environment) {
    return (
      <section className="card" aria-labelledby="memberships-title">
        {head}
        <Loading />
      </section>
    );
  }
  const { memberships, tenants, roles, policy } = data.data;
  const overall = policy.strictest;
  const policyOf = (tenantId: string) => policy.tenants.find((item) => item.tenantId === tenantId)?.policy;

  const remove = async (membership: UserMembership) => {
    await admin(envPath(envId, `/tenants/${seg(membership.tenantId)}/members/${seg(userId)}`), {
      method: 'DELETE',
    });
    toast(`Removed from ${membership.tenantName}.`);
    data.reload();
  };

  return (
    <section className="card" aria-labelledby="memberships-title">
      {head}
      {memberships.length === 0 ? (
        <EmptyState title="Not a member of any tenant">The environment's own policy applies.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Tenant</th>
                <th scope="col">Roles</th>
                <th scope="col">Idle timeout</th>
                <th scope="col">Absolute timeout</th>
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {memberships.map((membership) => {
                const inForce = policyOf(membership.tenantId);
                return (
                  <tr key={membership.tenantId}>
                    <td className="cell-wrap">
                      <Link to={`/tenants/${seg(membership.tenantId)}`}>{membership.tenantName}</Link>
                    </td>
                    <td>
                      {membership.roles.length === 0 ? (
                        <span className="muted">None</span>
                      ) : (
                        <span className="badges">
                          {membership.roles.map((role) => (
                            <Badge key={role} tone="accent">
                              {role}
                            </Badge>
                          ))}
                        </span>
                      )}
                    </td>
                    <td>{inForce ? formatDuration(inForce.idleTimeoutSeconds) : '—'}</td>
                    <td>{inForce ? formatDuration(inForce.absoluteTimeoutSeconds) : '—'}</td>
                    <td className="actions">
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setEditing(membership)}
                      >
                        Edit roles
                      </button>{' '}
                      <button
                        type="button"
                        className="button button-small button-ghost"
                        aria-label={`Remove from ${membership.tenantName}`}
                        onClick={() => setRemoving(membership)}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="card-foot card-foot-text">
        <p>
          Across all tenants: absolute timeout{' '}
          <strong>{formatDuration(overall.absoluteTimeoutSeconds)}</strong>, at most{' '}
          <strong>{overall.maxConcurrentSessions ?? 'unlimited'}</strong> sessions
          {overall.maxConcurrentSessions === null
            ? ''
            : overall.onLimit === 'reject'
              ? ' (a new sign-in beyond it is refused)'
              : ' (a new sign-in ends the oldest)'}
          . The idle timeout is the one of the tenant a session is in.
        </p>
      </div>
      {editing ? (
        <MembershipDialog
          userId={userId}
          membership={editing === 'new' ? null : editing}
          tenants={tenants.filter(
            (tenant) =>
              editing !== 'new' || !memberships.some((membership) => membership.tenantId === tenant.id),
          )}
          roles={roles}
          onClose={() => setEditing(null)}
          onSaved={data.reload}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title="Remove from tenant?"
          confirmLabel="Remove"
          danger
          onConfirm={() => remove(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>The user's next refresh for this tenant is refused.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function MembershipDialog(props: {
  userId: string;
  membership: UserMembership | null;
  tenants: Tenant[];
  roles: Role[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { userId, membership, tenants, roles, onClose, onSaved } = props;
  const { envId } = useEnvironment();
  const toast = useToast();
  const [tenantId, setTenantId] = useState(membership?.tenantId ?? tenants[0]?.id ?? '');
  const [chosen, setChosen] = useState<string[]>(membership?.roles ?? []);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!tenantId) return;
    setBusy(true);
    setError(null);
    try {
      await admin(envPath(envId, `/tenants/${seg(tenantId)}/members/${seg(userId)}`), {
        method: 'PUT',
        body: { roles: chosen },
      });
      toast(membership ? 'Roles saved.' : 'Added to the tenant.');
      onSaved();
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const general = formError(error, ['/roles']);
  return (
    <Dialog
      title={membership ? 'Edit roles' : 'Add to tenant'}
      onClose={onClose}
      footer={
        <FormFooter
          formId="membership-form"
          submitLabel={membership ? 'Save roles' : 'Add to tenant'}
          disabled={busy || !tenantId}
          onCancel={onClose}
        />
      }
    >
      <form id="membership-form" className="form" onSubmit={submit}>
        {membership ? null : tenants.length === 0 ? (
          <p className="muted">The user is a member of every tenant already, or there are no tenants.</p>
        ) : (
          <SelectField
            label="Tenant"
            value={tenantId}
            onChange={(event) => setTenantId(event.target.value)}
            options={tenants.map((tenant) => ({ value: tenant.id, label: `${tenant.name} (${tenant.id})` }))}
          />
        )}
        <RolePicker roles={roles} value={chosen} onChange={setChosen} error={fieldError(error, '/roles')} />
        {general ? (
          <p className="form-error" role="alert">
            {general}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
