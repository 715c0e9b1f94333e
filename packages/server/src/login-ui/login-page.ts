/** The hosted login form: email, password, submit. */
import type { LoginBranding } from './branding.js';
import { LOGIN_FORM_FIELDS } from './form-fields.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { renderDocument } from './layout.js';

/** Why the previous attempt failed. */
export type LoginPageError =
  | 'invalid_credentials'
  | 'rate_limited'
  | 'user_disabled'
  | 'max_sessions_reached'
  | 'generic';

export interface LoginPageProps {
  branding: LoginBranding;
  /** The form's POST target. */
  action: string;
  /** The login-CSRF token bound to the pending interaction (CSRF-03). */
  csrfToken: string;
  /** The pending authorization request; absent on the account page's own sign-in. */
  interactionId?: string | undefined;
  /** The line under the heading [`Use your {name} account`]. */
  lead?: string | undefined;
  /** A fixed message about what just happened (never request input), e.g. "You are signed out." */
  notice?: string | undefined;
  /** Prefills the email field after a failed attempt. */
  email?: string | undefined;
  error?: LoginPageError | undefined;
}

// A disabled account gets the very same words as a wrong password: a different message would
// tell anyone with a list of addresses which of them have accounts here.
const CREDENTIALS_MESSAGE = 'The email or password is incorrect, or this account cannot sign in.';

/** The user-facing message for each {@link LoginPageError}; none reveals whether an account exists. */
export const LOGIN_ERROR_MESSAGES: Readonly<Record<LoginPageError, string>> = {
  invalid_credentials: CREDENTIALS_MESSAGE,
  user_disabled: CREDENTIALS_MESSAGE,
  rate_limited: 'Too many sign-in attempts. Wait a few minutes, then try again.',
  max_sessions_reached: 'You are signed in on too many devices. Sign out on one of them, then try again.',
  generic: 'Something went wrong and you were not signed in. Please try again.',
};

const ERROR_ID = 'login-error';

/**
 * Renders the hosted login page as a complete HTML document.
 *
 * @example
 * renderLoginPage({
 *   branding: { name: 'Acme', primaryColor: '#0e7490' },
 *   action: '/oauth/login',
 *   csrfToken,
 *   interactionId,
 *   email: 'ada@example.com',
 *   error: 'invalid_credentials',
 * })
 */
export function renderLoginPage(props: LoginPageProps): string {
  const { branding, error, email } = props;
  const credentialsError = error === 'invalid_credentials' || error === 'user_disabled';
  const described = error !== undefined && html` aria-describedby="${ERROR_ID}"`;
  const invalid = credentialsError && html` aria-invalid="true"`;
  const hasEmail = email !== undefined && email !== '';
  // Never the requested tenant's name: shown to anyone before sign-in, it would tell which tenant
  // ids exist (issue #9). The tenant picker names tenants, after sign-in, to their members only.
  const body = html`<h1>Sign in</h1>
<p class="lead">${props.lead ?? `Use your ${branding.name} account`}</p>
${
  props.notice !== undefined &&
  error === undefined &&
  html`<div class="notice" role="status">${props.notice}</div>
`
}${error !== undefined && html`<div class="alert" id="${ERROR_ID}" role="alert">${LOGIN_ERROR_MESSAGES[error]}</div>`}
<form method="post" action="${props.action}">
${hiddenFields(props.csrfToken, props.interactionId)}
<div class="field">
<label for="email">Email</label>
<input class="input" id="email" name="${LOGIN_FORM_FIELDS.email}" type="email" autocomplete="username" autocapitalize="none" spellcheck="false" required${hasEmail && html` value="${email}"`}${!hasEmail && html` autofocus`}${described}${invalid}>
</div>
<div class="field">
<label for="password">Password</label>
<input class="input" id="password" name="${LOGIN_FORM_FIELDS.password}" type="password" autocomplete="current-password" required${hasEmail && html` autofocus`}${described}${invalid}>
</div>
<button class="button" type="submit">Sign in</button>
</form>`;
  return renderDocument({ branding, title: 'Sign in', body });
}
