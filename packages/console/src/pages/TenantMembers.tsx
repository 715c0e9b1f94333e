/** A tenant's members with their roles: add by email, change roles, remove. */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError, queryString, seg } from '../api';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { RolePicker } from '../components/RolePicker';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { useLoad } from '../hooks';
import { Link } from '../router';
import type { Membership, Role, User } from '../types';

const MAX_LOOKUPS = 100;

interface Member extends Membership {
  user: User | null;
}

export function TenantMembers({ tenantId }: { tenantId: string }) {
  const { envId } = useEnvironment();
  const toast = useToast();
  const data = useLoad(
    async (signal) => {
      const [memberships, roles] = await Promise.all([
        admin<Membership[]>(envPath(envId, `/tenants/${seg(tenantId)}/members`), { signal }),
        admin<Role[]>(envPath(envId, '/roles'), { signal }),
      ]);
      const members: Member[] = await Promise.all(
        memberships.map(async (membership, index) => ({
          ...membership,
          user:
            index < MAX_LOOKUPS
              ? await admin<User>(envPath(envId, `/users/${seg(membership.userId)}`), { signal }).catch(
                  () => null,
                )
              : null,
        })),
      );
      return { members, roles };
    },
    [envId, tenantId],
  );
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);

  const remove = async (member: Member) => {
    await admin(envPath(envId, `/tenants/${seg(tenantId)}/members/${seg(member.userId)}`), {
      method: 'DELETE',
    });
    toast(`${member.user?.email ?? member.userId} removed from the tenant.`);
    data.reload();
  };

  return (
    <section className="card" aria-labelledby="members-title">
      <div className="card-head">
        <div>
          <h2 id="members-title">Members</h2>
          <p>Users who can sign in to this tenant, and their roles in it.</p>
        </div>
        <button type="button" className="button" onClick={() => setEditing('new')} disabled={!data.data}>
          Add member
        </button>
      </div>
      {data.error && !data.data ? (
        <ErrorState error={data.error} onRetry={data.reload} />
      ) : !data.data ? (
        <Loading />
      ) : data.data.members.length === 0 ? (
        <EmptyState title="No members yet">Add users by their email.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Roles</th>
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data.members.map((member) => (
                <tr key={member.userId}>
                  <td className="cell-wrap">
                    <Link to={`/users/${seg(member.userId)}`}>{member.user?.email ?? member.userId}</Link>
                    {member.user?.name ? <span className="sub">{member.user.name}</span> : null}
                  </td>
                  <td>
                    {member.roles.length === 0 ? (
                      <span className="muted">None</span>
                    ) : (
                      <span className="badges">
                        {member.roles.map((role) => (
                          <Badge key={role} tone="accent">
                            {role}
                          </Badge>
                        ))}
                      </span>
                    )}
                  </td>
                  <td className="actions">
                    <button type="button" className="button button-small" onClick={() => setEditing(member)}>
                      Edit roles
                    </button>{' '}
                    <button
                      type="button"
                      className="button button-small button-ghost"
                      aria-label={`Remove ${member.user?.email ?? member.userId}`}
                      onClick={() => setRemoving(member)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && data.data ? (
        <MemberDialog
          tenantId={tenantId}
          member={editing === 'new' ? null : editing}
          roles={data.data.roles}
          onClose={() => setEditing(null)}
          onSaved={data.reload}
        />
      ) : null}
      {removing ? (
        <ConfirmDialog
          title="Remove member?"
          confirmLabel="Remove"
          danger
          onConfirm={() => remove(removing)}
          onClose={() => setRemoving(null)}
        >
          <p>
            <strong>{removing.user?.email ?? removing.userId}</strong> leaves the tenant; their next refresh
            for it is refused.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

function MemberDialog(props: {
  tenantId: string;
  member: Member | null;
  roles: Role[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { tenantId, member, roles, onClose, onSaved } = props;
  const { envId } = useEnvironment();
  const toast = useToast();
  const [email, setEmail] = useState('');
  const [chosen, setChosen] = useState<string[]>(member?.roles ?? []);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setEmailError(null);
    try {
      let userId = member?.userId;
      if (!userId) {
        const found = await admin<User[]>(envPath(envId, `/users${queryString({ email: email.trim() })}`));
        userId = found[0]?.id;
        if (!userId) {
          setEmailError('No user has this email in this environment.');
          setBusy(false);
          return;
        }
      }
      await admin(envPath(envId, `/tenants/${seg(tenantId)}/members/${seg(userId)}`), {
        method: 'PUT',
        body: { roles: chosen },
      });
      toast(member ? 'Roles saved.' : 'Member added.');
      onSaved();
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const general = formError(error, ['/roles', 'email']);
  return (
    <Dialog
      title={member ? 'Edit roles' : 'Add member'}
      onClose={onClose}
      footer={
        <FormFooter
          formId="member-form"
          submitLabel={member ? 'Save roles' : 'Add member'}
          disabled={busy}
          onCancel={onClose}
        />
      }
    >
      <form id="member-form" className="form" onSubmit={submit} noValidate>
        {member ? (
          <p>
            <strong>{member.user?.email ?? member.userId}</strong>
          </p>
        ) : (
          <TextField
            label="User's email"
            type="email"
            value={email}
            autoComplete="off"
            error={emailError ?? fieldError(error, 'email')}
            onChange={(event) => setEmail(event.target.value)}
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
