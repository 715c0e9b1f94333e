/**
 * Sign-in: the admin key is read from the field at submit, sent once to /console/api/session (which
 * answers with an HttpOnly session cookie), and cleared from the field. It never enters React
 * state, storage or the URL.
 */
import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError, messageOf, signIn } from '../api';

export function SignIn({ onSignedIn, expired }: { onSignedIn: () => void; expired: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const field = input.current;
    if (!field) return;
    if (field.value === '') {
      setError('Enter the admin key.');
      field.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await signIn(field.value);
      field.value = '';
      onSignedIn();
    } catch (failure) {
      field.value = '';
      setError(
        failure instanceof ApiError && failure.status === 401
          ? 'That admin key is not valid.'
          : messageOf(failure),
      );
      setBusy(false);
      field.focus();
    }
  };

  return (
    <main className="sign-in" id="main">
      <div className="sign-in-card">
        <div className="sign-in-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Tessera</span>
        </div>
        <h1>Sign in to the console</h1>
        <p className="muted">
          Use the server's admin key (<code>TESSERA_ADMIN_KEY</code>). It is exchanged for a console session
          of 30 minutes and is not kept in this page.
        </p>
        {expired ? (
          <p className="callout callout-info" role="status">
            Your console session has ended. Sign in again.
          </p>
        ) : null}
        <form onSubmit={submit} noValidate>
          <div className={error ? 'field field-invalid' : 'field'}>
            <label htmlFor={id}>Admin key</label>
            <input
              ref={input}
              id={id}
              name="adminKey"
              type="password"
              className="input"
              autoComplete="off"
              spellCheck={false}
              // biome-ignore lint/a11y/noAutofocus: the page's only purpose is this field.
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${id}-error` : undefined}
            />
            {error ? (
              <p id={`${id}-error`} className="field-error" role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button-primary button-block" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
