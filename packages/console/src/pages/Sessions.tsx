/** Every live session of the environment, most recently active first (GET …/sessions). */
import { PageHeader } from '../components/PageHeader';
import { SessionsTable } from '../components/SessionsTable';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { envPath, useEnvironment } from '../environment';
import { usePaged } from '../hooks';
import type { AdminSession } from '../types';

export function SessionsPage() {
  const { envId } = useEnvironment();
  const sessions = usePaged<AdminSession>(envPath(envId, '/sessions?limit=50'));

  return (
    <>
      <PageHeader
        title="Sessions"
        description="Live sessions in this environment, most recently active first. Ending one refuses its next refresh: the app signs out within one access-token lifetime."
        actions={
          <button type="button" className="button" onClick={sessions.reload}>
            Refresh
          </button>
        }
      />
      <section className="card" aria-label="Live sessions">
        {sessions.error && sessions.items.length === 0 ? (
          <ErrorState error={sessions.error} onRetry={sessions.reload} />
        ) : sessions.loading && sessions.items.length === 0 ? (
          <Loading />
        ) : sessions.items.length === 0 ? (
          <EmptyState title="No live sessions">Sessions appear here as soon as someone signs in.</EmptyState>
        ) : (
          <>
            <SessionsTable
              sessions={sessions.items}
              onEnded={(sid) => sessions.update((items) => items.filter((item) => item.sid !== sid))}
            />
            <LoadMore hasMore={sessions.hasMore} loading={sessions.loading} onMore={sessions.loadMore} />
          </>
        )}
      </section>
    </>
  );
}
