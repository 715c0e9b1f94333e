/** Create or edit a client; after creating a confidential client, its secret, shown once. */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError, seg } from '../api';
import { Dialog } from '../components/Dialog';
import { SelectField, TextField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { cleanList, ListEditor } from '../components/ListEditor';
import { SecretOnce } from '../components/SecretOnce';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import type { Client } from '../types';

const POINTERS = [
  '/clientId',
  '/name',
  '/type',
  '/redirectUris',
  '/allowedOrigins',
  '/postLogoutRedirectUris',
];

export function ClientDialog({
  client,
  onClose,
  onSaved,
}: {
  client: Client | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { envId } = useEnvironment();
  const toast = useToast();
  const [form, setForm] = useState({
    clientId: '',
    name: client?.name ?? '',
    type: client?.type ?? 'spa',
    redirectUris: client?.redirectUris ?? [''],
    allowedOrigins: client?.allowedOrigins ?? [''],
    postLogoutRedirectUris: client?.postLogoutRedirectUris ?? [],
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<Client | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const lists = {
      redirectUris: cleanList(form.redirectUris),
      allowedOrigins: cleanList(form.allowedOrigins),
      postLogoutRedirectUris: cleanList(form.postLogoutRedirectUris),
    };
    // The rows shown are the rows sent, so an error about `/redirectUris/1` lands on row 2.
    setForm((before) => ({ ...before, ...lists }));
    try {
      if (client) {
        await admin<Client>(envPath(envId, `/clients/${seg(client.clientId)}`), {
          method: 'PATCH',
          body: { name: form.name.trim(), ...lists },
        });
        toast(`Client ${form.name.trim()} saved.`);
        onSaved();
        onClose();
        return;
      }
      const body = {
        name: form.name.trim(),
        type: form.type,
        ...lists,
        ...(form.clientId.trim() ? { clientId: form.clientId.trim() } : {}),
      };
      const result = await admin<Client>(envPath(envId, '/clients'), { method: 'POST', body });
      onSaved();
      if (result.clientSecret) {
        setCreated(result);
      } else {
        toast(`Client ${result.name} created.`);
        onClose();
      }
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  if (created?.clientSecret) {
    return (
      <Dialog
        title="Client created"
        onClose={onClose}
        footer={
          <button type="button" className="button button-primary" onClick={onClose}>
            I have copied the secret
          </button>
        }
      >
        <p>
          <strong>{created.name}</strong> has the client ID <code>{created.clientId}</code>.
        </p>
        <SecretOnce label="Client secret" secret={created.clientSecret} />
      </Dialog>
    );
  }

  const general = formError(error, POINTERS);
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm((before) => ({ ...before, [key]: value }));
  return (
    <Dialog
      title={client ? `Edit ${client.name}` : 'New client'}
      wide
      onClose={onClose}
      footer={
        <FormFooter
          formId="client-form"
          submitLabel={client ? 'Save client' : 'Create client'}
          disabled={busy}
          onCancel={onClose}
        />
      }
    >
      <form id="client-form" className="form" onSubmit={submit} noValidate>
        <div className="form-grid">
          <TextField
            label="Name"
            value={form.name}
            error={fieldError(error, '/name')}
            onChange={(e) => set('name', e.target.value)}
          />
          {client ? null : (
            <SelectField
              label="Type"
              value={form.type}
              error={fieldError(error, '/type')}
              onChange={(e) => set('type', e.target.value as Client['type'])}
              hint={
                form.type === 'spa'
                  ? 'A browser app: refreshes with the HttpOnly cookie, from its allowed origins.'
                  : 'A server app: gets tokens at /oauth/token with a secret (shown once after creating).'
              }
              options={[
                { value: 'spa', label: 'Single-page app (browser)' },
                { value: 'confidential', label: 'Confidential (server)' },
              ]}
            />
          )}
          {client ? null : (
            <TextField
              label="Client ID"
              hint="Optional; generated when empty."
              value={form.clientId}
              spellCheck={false}
              error={fieldError(error, '/clientId')}
              onChange={(e) => set('clientId', e.target.value)}
            />
          )}
        </div>
        <ListEditor
          legend="Redirect URIs"
          itemLabel="Redirect URI"
          hint="Where the hosted login may send users back: absolute URLs without a fragment, matched exactly; https, or http on localhost."
          pointer="/redirectUris"
          values={form.redirectUris}
          placeholder="https://app.example.com/callback"
          addLabel="Add redirect URI"
          error={error}
          onChange={(values) => set('redirectUris', values)}
        />
        <ListEditor
          legend="Allowed origins"
          itemLabel="Origin"
          hint="Origins (scheme://host[:port]) whose pages may call the session API with the cookie."
          pointer="/allowedOrigins"
          values={form.allowedOrigins}
          placeholder="https://app.example.com"
          addLabel="Add origin"
          error={error}
          onChange={(values) => set('allowedOrigins', values)}
        />
        <ListEditor
          legend="Post-logout redirect URIs"
          itemLabel="Post-logout redirect URI"
          hint="Where /oauth/logout may send users after signing out."
          pointer="/postLogoutRedirectUris"
          values={form.postLogoutRedirectUris}
          placeholder="https://app.example.com/"
          addLabel="Add post-logout URI"
          error={error}
          onChange={(values) => set('postLogoutRedirectUris', values)}
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
