/**
 * Environments: the list (and "New environment"), and the picked environment's token settings,
 * cookie, signing algorithm and session policy, each field explained where it is edited.
 */
import { type FormEvent, useState } from 'react';
import { admin, fieldError, formError } from '../api';
import { Badge } from '../components/Badge';
import { Dialog } from '../components/Dialog';
import { CheckboxField, SelectField, TextField } from '../components/Field';
import { FormFooter } from '../components/FormFooter';
import { PageHeader } from '../components/PageHeader';
import { useToast } from '../components/Toasts';
import { useEnvironment } from '../environment';
import { type EnvironmentFormValues, environmentFormValues, environmentPatch } from '../environment-form';
import { formatDateTime, formatDuration } from '../format';
import type { Environment } from '../types';
import { ENVIRONMENT_FIELDS, type EnvironmentField } from './environment-fields';

export function EnvironmentsPage() {
  const { environments, environment, pick } = useEnvironment();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Environments"
        description="Each environment has its own users, tenants, clients, keys and settings (for example production and staging)."
        actions={
          <button type="button" className="button" onClick={() => setCreating(true)}>
            New environment
          </button>
        }
      />
      <div className="stack">
        <section className="card" aria-label="All environments">
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">ID</th>
                  <th scope="col">Base URL</th>
                  <th scope="col">Access token</th>
                  <th scope="col">Idle timeout</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {environments.map((item) => (
                  <tr key={item.id}>
                    <td className="cell-wrap" data-label="Name">
                      {item.id === environment?.id ? (
                        <>
                          {item.name} <Badge tone="accent">Selected</Badge>
                        </>
                      ) : (
                        <button type="button" className="link-button" onClick={() => pick(item.id)}>
                          {item.name}
                        </button>
                      )}
                    </td>
                    <td className="mono cell-wrap" data-label="ID">
                      {item.id}
                    </td>
                    <td className="mono cell-wrap" data-label="Base URL">
                      {item.baseUrl}
                    </td>
                    <td data-label="Access token">
                      {formatDuration(item.tokenSettings.accessTokenTtlSeconds)}
                    </td>
                    <td data-label="Idle timeout">{formatDuration(item.sessionPolicy.idleTimeoutSeconds)}</td>
                    <td className="nowrap" data-label="Created">
                      {formatDateTime(item.createdAt)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        {environment ? (
          <EnvironmentSettings key={JSON.stringify(environment)} environment={environment} />
        ) : null}
      </div>
      {creating ? <NewEnvironmentDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function EnvironmentSettings({ environment }: { environment: Environment }) {
  const { reload } = useEnvironment();
  const toast = useToast();
  const [values, setValues] = useState<EnvironmentFormValues>(() => environmentFormValues(environment));
  const [problems, setProblems] = useState<Partial<Record<string, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = environmentPatch(environment, values);
    setProblems(result.problems);
    setError(null);
    if (Object.keys(result.problems).length > 0) return;
    if (Object.keys(result.patch).length === 0) {
      toast('Nothing changed.', 'info');
      return;
    }
    setBusy(true);
    try {
      await admin<Environment>(`/environments/${encodeURIComponent(environment.id)}`, {
        method: 'PATCH',
        body: result.patch,
      });
      toast('Settings saved. Users get them at their next refresh.');
      setBusy(false);
      reload();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const pointers = [
    '/name',
    ...ENVIRONMENT_FIELDS.flatMap((group) => group.fields.map((field) => field.pointer)),
  ];
  const general = formError(error, pointers);
  const set = (key: string, value: string | boolean) => setValues((before) => ({ ...before, [key]: value }));

  return (
    <form className="card" aria-labelledby="settings-title" onSubmit={submit} noValidate>
      <div className="card-head">
        <div>
          <h2 id="settings-title">Settings of {environment.name}</h2>
          <p>
            Issuer <code>{environment.baseUrl}</code>. Changes apply to each user at their next refresh.
          </p>
        </div>
      </div>
      <div className="card-body form">
        <section className="form-section">
          <TextField
            label="Name"
            value={values.name}
            error={fieldError(error, '/name')}
            onChange={(event) => set('name', event.target.value)}
          />
        </section>
        {ENVIRONMENT_FIELDS.filter((group) => !group.requires || environment[group.requires]).map((group) => (
          <section key={group.title} className="form-section" aria-label={group.title}>
            <h2>{group.title}</h2>
            <p>{group.description}</p>
            <div className="form-grid">
              {group.fields.map((field) => (
                <SettingField
                  key={field.key}
                  field={field}
                  value={values[field.key as keyof EnvironmentFormValues]}
                  error={problems[field.key] ?? fieldError(error, field.pointer)}
                  onChange={(value) => set(field.key, value)}
                />
              ))}
            </div>
          </section>
        ))}
        {general ? (
          <p className="form-error" role="alert">
            {general}
          </p>
        ) : null}
      </div>
      <div className="card-foot">
        <button
          type="button"
          className="button button-ghost"
          onClick={() => {
            setValues(environmentFormValues(environment));
            setProblems({});
            setError(null);
          }}
        >
          Reset
        </button>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}

function SettingField(props: {
  field: EnvironmentField;
  value: string | boolean;
  error: string | null | undefined;
  onChange: (value: string | boolean) => void;
}) {
  const { field, value, error, onChange } = props;
  if (field.kind === 'checkbox') {
    return (
      <CheckboxField
        label={field.label}
        hint={field.hint}
        error={error}
        checked={value === true}
        onChange={(event) => onChange(event.target.checked)}
      />
    );
  }
  if (field.kind === 'select') {
    return (
      <SelectField
        label={field.label}
        hint={field.hint}
        error={error}
        value={String(value)}
        options={field.options ?? []}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }
  const seconds = field.kind === 'seconds' ? Number(value) : Number.NaN;
  return (
    <TextField
      label={field.label}
      hint={field.hint}
      error={error}
      value={String(value)}
      inputMode={field.kind === 'text' ? undefined : 'numeric'}
      spellCheck={false}
      placeholder={field.nullable ? 'Off' : undefined}
      suffix={
        field.kind === 'seconds' && value !== '' && Number.isFinite(seconds)
          ? formatDuration(seconds)
          : undefined
      }
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

function NewEnvironmentDialog({ onClose }: { onClose: () => void }) {
  const { reload, pick } = useEnvironment();
  const toast = useToast();
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), ...(id.trim() ? { id: id.trim() } : {}) };
      const created = await admin<Environment>('/environments', { method: 'POST', body });
      toast(`Environment ${created.name} created with its first signing key.`);
      reload();
      pick(created.id);
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const general = formError(error, ['/name', '/id']);
  return (
    <Dialog
      title="New environment"
      onClose={onClose}
      footer={
        <FormFooter
          formId="new-environment"
          submitLabel="Create environment"
          disabled={busy}
          onCancel={onClose}
        />
      }
    >
      <form id="new-environment" className="form" onSubmit={submit} noValidate>
        <TextField
          label="Name"
          value={name}
          error={fieldError(error, '/name')}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label="ID"
          hint="Optional: lower-case letters, digits and hyphens, e.g. staging. Part of the environment's URLs; generated when empty."
          value={id}
          spellCheck={false}
          error={fieldError(error, '/id')}
          onChange={(e) => setId(e.target.value)}
        />
        <p className="field-hint">Settings start from the server's defaults; change them after creating.</p>
        {general ? (
          <p className="form-error" role="alert">
            {general}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
