/**
 * One webhook endpoint: its settings, "Send test event", secret rotation (the new secret shown
 * once), deletion, and the delivery log (status, attempts, last response code).
 */
import { useState } from 'react';
import { admin, seg } from '../api';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { PageHeader } from '../components/PageHeader';
import { SecretOnce } from '../components/SecretOnce';
import { ErrorState, Loading } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { Link, navigate } from '../router';
import type { Webhook } from '../types';
import { Deliveries } from './Deliveries';
import { WebhookDialog } from './WebhookForm';
import { EventTypes } from './Webhooks';

type Open = 'edit' | 'rotate' | 'delete' | null;

export function WebhookPage({ webhookId }: { webhookId: string }) {
  const { envId } = useEnvironment();
  const toast = useToast();
  const base = envPath(envId, `/webhooks/${seg(webhookId)}`);
  const webhook = useLoad((signal) => admin<Webhook>(base, { signal }), [base]);
  const [open, setOpen] = useState<Open>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [deliveriesVersion, setDeliveriesVersion] = useState(0);

  const breadcrumb = (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/webhooks">Webhooks</Link> <span aria-hidden="true">/</span>{' '}
      <span aria-current="page">Endpoint</span>
    </nav>
  );
  if (webhook.error && !webhook.data) {
    return (
      <>
        {breadcrumb}
        <ErrorState error={webhook.error} onRetry={webhook.reload} />
      </>
    );
  }
  if (!webhook.data) return <Loading />;
  const current = webhook.data;

  const sendTest = async () => {
    setTesting(true);
    try {
      await admin<{ deliveryId: string }>(`${base}/test`, { method: 'POST' });
      toast('Test event queued. Its delivery appears in the log below.');
      setDeliveriesVersion((n) => n + 1);
    } catch (error) {
      toast(error instanceof Error ? error.message : 'The test event could not be sent.', 'error');
    } finally {
      setTesting(false);
    }
  };

  return (
    <>
      {breadcrumb}
      <PageHeader
        title={<span className="cell-wrap mono title-url">{current.url}</span>}
        description={current.description ?? undefined}
        actions={
          <>
            <button type="button" className="button button-primary" onClick={sendTest} disabled={testing}>
              {testing ? 'Sending…' : 'Send test event'}
            </button>
            <button type="button" className="button" onClick={() => setOpen('edit')}>
              Edit
            </button>
            <button type="button" className="button" onClick={() => setOpen('rotate')}>
              Rotate secret
            </button>
            <button type="button" className="button button-danger-outline" onClick={() => setOpen('delete')}>
              Delete
            </button>
          </>
        }
      />
      <div className="stack">
        <section className="card" aria-labelledby="endpoint-title">
          <div className="card-head">
            <h2 id="endpoint-title">Endpoint</h2>
          </div>
          <div className="card-body">
            <dl className="details">
              <dt>ID</dt>
              <dd className="mono">{current.id}</dd>
              <dt>Status</dt>
              <dd>{current.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</dd>
              <dt>Event types</dt>
              <dd>
                <EventTypes types={current.eventTypes} />
              </dd>
              <dt>Created</dt>
              <dd>{formatDateTime(current.createdAt)}</dd>
            </dl>
          </div>
        </section>
        <Deliveries key={deliveriesVersion} path={`${base}/deliveries`} />
      </div>

      {open === 'edit' ? (
        <WebhookDialog
          webhook={current}
          onClose={() => setOpen(null)}
          onSaved={(saved) => webhook.set(saved)}
        />
      ) : null}
      {open === 'rotate' ? (
        <ConfirmDialog
          title="Rotate the signing secret?"
          confirmLabel="Rotate secret"
          onConfirm={async () => {
            const result = await admin<{ secret: string }>(`${base}/rotate-secret`, { method: 'POST' });
            setSecret(result.secret);
          }}
          onClose={() => setOpen(null)}
        >
          <p>Deliveries are signed with a new secret from now on. Update your receiver with it.</p>
        </ConfirmDialog>
      ) : null}
      {secret ? (
        <Dialog
          title="New signing secret"
          onClose={() => setSecret(null)}
          footer={
            <button type="button" className="button button-primary" onClick={() => setSecret(null)}>
              I have copied the secret
            </button>
          }
        >
          <SecretOnce label="Signing secret" secret={secret} />
        </Dialog>
      ) : null}
      {open === 'delete' ? (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Delete webhook"
          danger
          onConfirm={async () => {
            await admin(base, { method: 'DELETE' });
            toast('Webhook deleted.');
            navigate('/webhooks');
          }}
          onClose={() => setOpen(null)}
        >
          <p>
            <code>{current.url}</code> receives nothing more; pending deliveries to it are dropped.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
