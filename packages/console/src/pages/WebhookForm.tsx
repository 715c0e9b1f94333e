/** Create or edit a webhook endpoint: URL, description, the event types it receives, enabled. */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError, seg } from '../api';
import { Dialog } from '../components/Dialog';
import { CheckboxField, TextField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { SecretOnce } from '../components/SecretOnce';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { EVENT_TYPES } from '../events-format';
import type { Webhook } from '../types';

const POINTERS = ['/url', '/description', '/eventTypes', '/enabled'];

export function WebhookDialog({
  webhook,
  onClose,
  onSaved,
}: {
  webhook: Webhook | null;
  onClose: () => void;
  onSaved: (webhook: Webhook) => void;
}) {
  const { envId } = useEnvironment();
  const toast = useToast();
  const initialTypes = webhook?.eventTypes ?? ['*'];
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [description, setDescription] = useState(webhook?.description ?? '');
  const [all, setAll] = useState(initialTypes.includes('*'));
  const [types, setTypes] = useState<string[]>(initialTypes.filter((type) => type !== '*'));
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Webhook | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body = {
      url: url.trim(),
      description: description.trim() || null,
      eventTypes: all ? ['*'] : types,
      enabled,
    };
    try {
      const path = webhook ? `/webhooks/${seg(webhook.id)}` : '/webhooks';
      const saved = await admin<Webhook>(envPath(envId, path), { method: webhook ? 'PATCH' : 'POST', body });
      onSaved(saved);
      if (!webhook && saved.secret) {
        setCreated(saved);
        return;
      }
      toast(webhook ? 'Webhook saved.' : 'Webhook created.');
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  if (created?.secret) {
    return (
      <Dialog
        title="Webhook created"
        onClose={onClose}
        footer={
          <button type="button" className="button button-primary" onClick={onClose}>
            I have copied the secret
          </button>
        }
      >
        <p>
          Deliveries to <code>{created.url}</code> are signed with this secret (Standard Webhooks: verify the{' '}
          <code>webhook-signature</code> header).
        </p>
        <SecretOnce label="Signing secret" secret={created.secret} />
      </Dialog>
    );
  }

  const general = formError(error, POINTERS);
  const toggle = (type: string, on: boolean) =>
    setTypes((before) => (on ? [...before, type] : before.filter((t) => t !== type)));
  const typesError = fieldError(error, '/eventTypes');
  return (
    <Dialog
      title={webhook ? 'Edit webhook' : 'New webhook'}
      wide
      onClose={onClose}
      footer={
        <FormFooter
          formId="webhook-form"
          submitLabel={webhook ? 'Save webhook' : 'Create webhook'}
          disabled={busy}
          onCancel={onClose}
        />
      }
    >
      <form id="webhook-form" className="form" onSubmit={submit} noValidate>
        <TextField
          label="Endpoint URL"
          type="url"
          value={url}
          placeholder="https://api.example.com/webhooks/tessera"
          spellCheck={false}
          hint="http(s) without credentials. Private and loopback addresses are refused unless the environment allows them."
          error={fieldError(error, '/url')}
          onChange={(event) => setUrl(event.target.value)}
        />
        <TextField
          label="Description"
          value={description}
          error={fieldError(error, '/description')}
          onChange={(event) => setDescription(event.target.value)}
        />
        <fieldset className={typesError ? 'field field-invalid' : 'field'}>
          <legend>Event types</legend>
          <CheckboxField
            label="All events"
            checked={all}
            onChange={(event) => setAll(event.target.checked)}
          />
          {all ? null : (
            <div className="role-grid">
              {EVENT_TYPES.map((type) => (
                <CheckboxField
                  key={type}
                  label={type}
                  checked={types.includes(type)}
                  onChange={(event) => toggle(type, event.target.checked)}
                />
              ))}
            </div>
          )}
          {typesError ? <p className="field-error">{typesError}</p> : null}
        </fieldset>
        <CheckboxField
          label="Enabled"
          hint="A disabled endpoint receives no deliveries until it is enabled again."
          checked={enabled}
          error={fieldError(error, '/enabled')}
          onChange={(event) => setEnabled(event.target.checked)}
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
