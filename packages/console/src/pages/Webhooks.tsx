/** Webhook endpoints: where Tessera sends signed events, and which. */
import { useState } from 'react';
import { seg } from '../api';
import { Badge } from '../components/Badge';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading, LoadMore } from '../components/States';
import { envPath, useEnvironment } from '../environment';
import { formatDateTime } from '../format';
import { usePaged } from '../hooks';
import { Link, navigate } from '../router';
import type { Webhook } from '../types';
import { WebhookDialog } from './WebhookForm';

export function WebhooksPage() {
  const { envId } = useEnvironment();
  const webhooks = usePaged<Webhook>(envPath(envId, '/webhooks'));
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Endpoints that receive this environment's events, signed as the Standard Webhooks specification says, retried with backoff for a day."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New webhook
          </button>
        }
      />
      <section className="card" aria-label="Webhook endpoints">
        {webhooks.error && webhooks.items.length === 0 ? (
          <ErrorState error={webhooks.error} onRetry={webhooks.reload} />
        ) : webhooks.loading && webhooks.items.length === 0 ? (
          <Loading />
        ) : webhooks.items.length === 0 ? (
          <EmptyState title="No webhooks yet">
            Add an endpoint to react to sign-ins, ended sessions and theft.
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="stack-table">
                <thead>
                  <tr>
                    <th scope="col">Endpoint</th>
                    <th scope="col">Event types</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {webhooks.items.map((webhook) => (
                    <tr key={webhook.id}>
                      <td className="cell-wrap" data-label="Endpoint">
                        <Link to={`/webhooks/${seg(webhook.id)}`} className="mono">
                          {webhook.url}
                        </Link>
                        {webhook.description ? <span className="sub">{webhook.description}</span> : null}
                      </td>
                      <td data-label="Event types">
                        <EventTypes types={webhook.eventTypes} />
                      </td>
                      <td data-label="Status">
                        {webhook.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}
                      </td>
                      <td className="nowrap" data-label="Created">
                        {formatDateTime(webhook.createdAt)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore hasMore={webhooks.hasMore} loading={webhooks.loading} onMore={webhooks.loadMore} />
          </>
        )}
      </section>
      {creating ? (
        <WebhookDialog
          webhook={null}
          onClose={() => setCreating(false)}
          onSaved={(webhook) => {
            webhooks.reload();
            if (!webhook.secret) navigate(`/webhooks/${seg(webhook.id)}`);
          }}
        />
      ) : null}
    </>
  );
}

export function EventTypes({ types }: { types: string[] }) {
  if (types.includes('*')) return <Badge tone="info">All events</Badge>;
  return (
    <span className="badges">
      {types.map((type) => (
        <Badge key={type}>{type}</Badge>
      ))}
    </span>
  );
}
