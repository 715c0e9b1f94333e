/**
 * Clients: the applications that sign users in. Create (a confidential client's secret is shown
 * once), edit redirect URIs and origins as lists (validated by the API, errors beside the row),
 * delete with a confirmation.
 */
import { useState } from 'react';
import { admin, seg } from '../api';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { formatDateTime } from '../format';
import { usePaged } from '../hooks';
import type { Client } from '../types';
import { ClientDialog } from './ClientDialog';

export function ClientsPage() {
  const { envId } = useEnvironment();
  const toast = useToast();
  const clients = usePaged<Client>(envPath(envId, '/clients?limit=50'));
  const [editing, setEditing] = useState<Client | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Client | null>(null);

  return (
    <>
      <PageHeader
        title="Clients"
        description="Applications that sign users in: single-page apps use the refresh cookie; confidential clients (servers) use a secret at the token endpoint."
        actions={
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            New client
          </button>
        }
      />
      <section className="card" aria-label="Clients">
        {clients.error && clients.items.length === 0 ? (
          <ErrorState error={clients.error} onRetry={clients.reload} />
        ) : clients.loading && clients.items.length === 0 ? (
          <Loading />
        ) : clients.items.length === 0 ? (
          <EmptyState title="No clients yet">Register your app with "New client".</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="stack-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Type</th>
                    <th scope="col">Redirect URIs</th>
                    <th scope="col">Allowed origins</th>
                    <th scope="col">Created</th>
                    <th scope="col" className="actions">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {clients.items.map((client) => (
                    <tr key={client.clientId}>
                      <td className="cell-wrap" data-label="Name">
                        {client.name}
                        <span className="sub mono">{client.clientId}</span>
                      </td>
                      <td data-label="Type">
                        <Badge tone={client.type === 'spa' ? 'info' : 'accent'}>
                          {client.type === 'spa' ? 'SPA' : 'Confidential'}
                        </Badge>
                      </td>
                      <td className="cell-wrap" data-label="Redirect URIs">
                        <UrlList urls={client.redirectUris} />
                      </td>
                      <td className="cell-wrap" data-label="Origins">
                        <UrlList urls={client.allowedOrigins} />
                      </td>
                      <td className="nowrap" data-label="Created">
                        {formatDateTime(client.createdAt)}
                      </td>
                      <td className="actions">
                        <button
                          type="button"
                          className="button button-small"
                          aria-label={`Edit ${client.name}`}
                          onClick={() => setEditing(client)}
                        >
                          Edit
                        </button>{' '}
                        <button
                          type="button"
                          className="button button-small button-ghost"
                          aria-label={`Delete ${client.name}`}
                          onClick={() => setDeleting(client)}
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore hasMore={clients.hasMore} loading={clients.loading} onMore={clients.loadMore} />
          </>
        )}
      </section>
      {editing ? (
        <ClientDialog
          client={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={clients.reload}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title="Delete this client?"
          confirmLabel="Delete client"
          danger
          onConfirm={async () => {
            await admin(envPath(envId, `/clients/${seg(deleting.clientId)}`), { method: 'DELETE' });
            toast(`Client ${deleting.name} deleted.`);
            clients.reload();
          }}
          onClose={() => setDeleting(null)}
        >
          <p>
            <strong>{deleting.name}</strong> (<code>{deleting.clientId}</code>) can no longer sign users in or
            refresh its sessions.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}

function UrlList({ urls }: { urls: string[] }) {
  if (urls.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="plain-list mono">
      {urls.slice(0, 3).map((url) => (
        <li key={url}>{url}</li>
      ))}
      {urls.length > 3 ? <li className="muted">and {urls.length - 3} more</li> : null}
    </ul>
  );
}
