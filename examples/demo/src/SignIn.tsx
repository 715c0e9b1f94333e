import { TesseraAuthError } from '@tessera/browser';
import { useAuth } from '@tessera/react';
import { type FormEvent, useState } from 'react';
import { describeEndReason } from './end-reasons';
import { RevocationCheck } from './RevocationCheck';

const DEMO_PASSWORD = 'tessera-demo';
const DEMO_USERS = [
  { email: 'alice@example.com', tenants: 'Acme Corp (admin) and Globex (member)' },
  { email: 'bob@example.com', tenants: 'Acme Corp (member)' },
];

function loginErrorMessage(error: unknown): string {
  if (!(error instanceof TesseraAuthError)) return 'Sign-in failed. Please try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'Wrong email or password.';
    case 'rate_limited':
      return `Too many attempts. Try again in ${error.retryAfterSeconds ?? 'a few'} seconds.`;
    case 'max_sessions_reached':
      return 'You are signed in on too many browsers already (the session limit refuses new ones).';
    case 'user_disabled':
      return 'This account is disabled.';
    case 'network_error':
      return 'The auth server could not be reached.';
    default:
      return error.message;
  }
}

export function SignIn() {
  const { login, loginWithRedirect, endReason } = useAuth();
  const [email, setEmail] = useState(DEMO_USERS[0]?.email ?? '');
  const [password, setPassword] = useState(DEMO_PASSWORD);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'embedded' | 'hosted' | null>(null);
  const notice = describeEndReason(endReason);

  async function signIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy('embedded');
    setError(null);
    try {
      await login({ email, password });
    } catch (failure) {
      setError(loginErrorMessage(failure));
      setBusy(null);
    }
  }

  async function signInHosted() {
    setBusy('hosted');
    setError(null);
    try {
      await loginWithRedirect(email ? { loginHint: email } : {});
    } catch (failure) {
      setError(loginErrorMessage(failure));
      setBusy(null);
    }
  }

  return (
    <section id="signed-out" className="signin" aria-labelledby="signin-title">
      <div className="signin-intro">
        <p className="eyebrow">Self-hosted session tokens</p>
        <h1>
          One refresh cookie.
          <br />
          <span className="accent-text">A tenant per tab.</span>
        </h1>
        <p className="lead">
          This app runs on its own origin and talks to the Tessera server next door, as your app would in
          production: short-lived JWT access tokens kept in memory, a rotating refresh token in an httpOnly
          cookie the page cannot read.
        </p>
        <ul className="highlights">
          <li>
            <strong>Tab per tenant</strong>
            <span>Two tabs, two tenants, one session.</span>
          </li>
          <li>
            <strong>Silent refresh</strong>
            <span>Reload: you stay signed in, with no redirect.</span>
          </li>
          <li>
            <strong>Idle means idle</strong>
            <span>Background refreshes do not count as activity.</span>
          </li>
        </ul>
      </div>

      <div className="card signin-card">
        <h2 id="signin-title">Sign in</h2>
        {notice && (
          <p id="end-reason" className="notice" role="status">
            {notice}
          </p>
        )}
        {notice && <RevocationCheck />}
        <form id="login-form" className="form" onSubmit={(event) => void signIn(event)}>
          <div className="field">
            <label htmlFor="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          <button type="submit" className="button primary block" disabled={busy !== null}>
            {busy === 'embedded' ? 'Signing in…' : 'Sign in'}
          </button>
          <p id="login-error" className="error" role="alert">
            {error}
          </p>
        </form>

        <div className="divider">
          <span>or</span>
        </div>
        <button
          type="button"
          id="hosted-login"
          className="button secondary block"
          disabled={busy !== null}
          onClick={() => void signInHosted()}
        >
          {busy === 'hosted' ? 'Redirecting…' : 'Sign in with hosted login'}
        </button>
        <p className="fine">
          Tessera's own login page, with OAuth 2 code + PKCE; it comes back to <code>/callback</code>.
        </p>

        <div className="demo-users">
          <p className="demo-users-title">
            Demo users · password <code>{DEMO_PASSWORD}</code>
          </p>
          <ul>
            {DEMO_USERS.map((user) => (
              <li key={user.email}>
                <button
                  type="button"
                  className="demo-user"
                  aria-pressed={email === user.email}
                  onClick={() => {
                    setEmail(user.email);
                    setPassword(DEMO_PASSWORD);
                  }}
                >
                  <strong>{user.email}</strong>
                  <span>{user.tenants}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
