/**
 * One user: profile, disable / enable, memberships with roles and the policy in force, and their
 * live sessions with "End session" and "Sign out everywhere".
 */
import { useState } from 'react';
import { admin, seg } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { PageHeader } from '../components/PageHeader';
import { SessionsTable } from '../components/SessionsTable';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { useLoad } from '../hooks';
import { Link } from '../router';
import type { AdminSession, User } from '../types';
import { UserMemberships } from './UserMemberships';
import { StatusBadge } from './Users';

export function UserPage({ userId }: { userId: string }) {
  const { envId } = useEnvironment();
  const toast = useToast();
  const user = useLoad(
    (signal) => admin<User>(envPath(envId, `/users/${seg(userId)}`), { signal }),
    [envId, userId],
  );
  const sessions = useLoad(
    (signal) => admin<AdminSession[]>(envPath(envId, `/users/${seg(userId)}/sessions`), { signal }),
    [envId, userId],
  );
  const [confirm, setConfirm] = useState<'disable' | 'everywhere' | null>(null);

  if (user.error && !user.data) {
    return (
      <>
        <Breadcrumb />
        <ErrorState error={user.error} onRetry={user.reload} />
      </>
    );
  }
  if (!user.data) return <Loading />;
  const current = user.data;

  const setStatus = async (status: User['status']) => {
    const updated = await admin<User>(envPath(envId, `/users/${seg(userId)}`), {
      method: 'PATCH',
      body: { status },
    });
    user.set(updated);
    sessions.reload();
    toast(
      status === 'disabled'
        ? `${updated.email} is disabled; their sessions ended.`
        : `${updated.email} is enabled.`,
    );
  };

  const signOutEverywhere = async () => {
    await admin(envPath(envId, `/users/${seg(userId)}/sessions`), { method: 'DELETE' });
    sessions.set([]);
    toast(`Every session of ${current.email} ended.`);
  };

  const live = sessions.data ?? [];
  return (
    <>
      <Breadcrumb />
      <PageHeader
        title={
          <span className="title-with-badge">
            <span className="cell-wrap">{current.email}</span> <StatusBadge status={current.status} />
          </span>
        }
        description={current.name ?? undefined}
        actions={
          current.status === 'active' ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => setConfirm('disable')}
            >
              Disable user
            </button>
          ) : (
            <button
              type="button"
              className="button"
              onClick={() => setStatus('active').catch(() => user.reload())}
            >
              Enable user
            </button>
          )
        }
      />
      <div className="stack">
        <section className="card" aria-labelledby="profile-title">
          <div className="card-head">
            <h2 id="profile-title">Profile</h2>
          </div>
          <div className="card-body">
            <dl className="details">
              <dt>ID</dt>
              <dd className="mono">{current.id}</dd>
              <dt>Email</dt>
              <dd>{current.email}</dd>
              <dt>Name</dt>
              <dd>{current.name ?? '—'}</dd>
              <dt>Status</dt>
              <dd>{current.status === 'active' ? 'Active: can sign in' : 'Disabled: cannot sign in'}</dd>
            </dl>
          </div>
        </section>

        <UserMemberships userId={userId} />

        <section className="card" aria-labelledby="sessions-title">
          <div className="card-head">
            <div>
              <h2 id="sessions-title">Live sessions</h2>
              <p>Each device or browser the user is signed in on.</p>
            </div>
            <button
              type="button"
              className="button button-danger-outline"
              disabled={live.length === 0}
              onClick={() => setConfirm('everywhere')}
            >
              Sign out everywhere
            </button>
          </div>
          {sessions.error && !sessions.data ? (
            <ErrorState error={sessions.error} onRetry={sessions.reload} />
          ) : !sessions.data ? (
            <Loading />
          ) : live.length === 0 ? (
            <EmptyState title="No live sessions" />
          ) : (
            <SessionsTable
              sessions={live}
              showUser={false}
              onEnded={(sid) => sessions.set(live.filter((session) => session.sid !== sid))}
            />
          )}
        </section>
      </div>

      {confirm === 'disable' ? (
        <ConfirmDialog
          title="Disable this user?"
          confirmLabel="Disable user"
          danger
          onConfirm={() => setStatus('disabled')}
          onClose={() => setConfirm(null)}
        >
          <p>
            <strong>{current.email}</strong> can no longer sign in, and every live session ends now: their
            apps sign out at the next refresh.
          </p>
        </ConfirmDialog>
      ) : null}
      {confirm === 'everywhere' ? (
        <ConfirmDialog
          title="Sign out everywhere?"
          confirmLabel="End all sessions"
          danger
          onConfirm={signOutEverywhere}
          onClose={() => setConfirm(null)}
        >
          <p>
            All {live.length} session{live.length === 1 ? '' : 's'} of <strong>{current.email}</strong> end
            now. Each app signs out at its next refresh; the user can sign in again.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function Breadcrumb() {
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/users">Users</Link> <span aria-hidden="true">/</span> <span aria-current="page">User</span>
    </nav>
  );
}
