/** Every live session of the environment, most recently active first (GET …/sessions). */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, queryString, seg } from '../api';
import { TextField } from '../components/Field';
import { PageHeader } from '../components/PageHeader';
import { SessionsTable } from '../components/SessionsTable';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { envPath, useEnvironment } from '../environment';
import { useLoad, usePaged } from '../hooks';
import type { AdminSession, User } from '../types';

const MAX_LOOKUPS = 50;

export function SessionsPage() {
  const { envId } = useEnvironment();
  const [draft, setDraft] = useState('');
  const [userId, setUserId] = useState('');
  const sessions = usePaged<AdminSession>(envPath(envId, `/sessions${queryString({ userId, limit: 50 })}`));
  const emails = useUserEmails(envId, sessions.items);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setUserId(draft.trim());
  };
  const filterError = fieldError(sessions.error, 'userId');

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Live sessions in this environment, most recently active first. Ending one refuses its next refresh: the app is signed out then."
        actions={
          <button type="button" className="button" onClick={sessions.reload}>
            Refresh
          </button>
        }
      />
      <section className="card" aria-label="Live sessions">
        <form className="card-head inline-form" aria-label="Filter sessions" onSubmit={apply}>
          <TextField
            label="User ID"
            value={draft}
            spellCheck={false}
            autoComplete="off"
            error={filterError}
            onChange={(event) => setDraft(event.target.value)}
          />
          <button type="submit" className="button">
            Filter
          </button>
          {userId ? (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => {
                setDraft('');
                setUserId('');
              }}
            >
              Clear
            </button>
          ) : null}
        </form>
        {filterError ? null : sessions.error && sessions.items.length === 0 ? (
          <ErrorState error={sessions.error} onRetry={sessions.reload} />
        ) : sessions.loading && sessions.items.length === 0 ? (
          <Loading />
        ) : sessions.items.length === 0 ? (
          <EmptyState title="No live sessions">
            {userId ? 'This user has no live session.' : 'Sessions appear here as soon as someone signs in.'}
          </EmptyState>
        ) : (
          <>
            <SessionsTable
              sessions={sessions.items}
              userLabel={(id) => emails.get(id) ?? id}
              onEnded={(sid) => sessions.update((items) => items.filter((item) => item.sid !== sid))}
            />
            <LoadMore hasMore={sessions.hasMore} loading={sessions.loading} onMore={sessions.loadMore} />
          </>
        )}
      </section>
    </>
  );
}

/** The emails of the users these sessions belong to, so the table names people, not ids. */
function useUserEmails(envId: string, sessions: AdminSession[]): Map<string, string> {
  const ids = [...new Set(sessions.flatMap((session) => (session.userId ? [session.userId] : [])))]
    .sort()
    .slice(0, MAX_LOOKUPS);
  const key = ids.join('\n');
  const loaded = useLoad(
    async (signal) => {
      const users = await Promise.all(
        ids.map((id) => admin<User>(envPath(envId, `/users/${seg(id)}`), { signal }).catch(() => null)),
      );
      return new Map(users.flatMap((user) => (user ? [[user.id, user.email] as const] : [])));
    },
    [envId, key],
  );
  return loaded.data ?? new Map();
}
