/** RP-initiated logout without `id_token_hint` asks before ending the session (SES-16). */
import type { LoginBranding } from './branding.js';
import { hiddenFields } from './hidden-fields.js';
import { html } from './html.js';
import { renderDocument } from './layout.js';

export interface LogoutConfirmationProps {
  branding: LoginBranding;
  /** The form's POST target; carry the logout request's parameters in its query. */
  action: string;
  csrfToken: string;
  /** The registered name of the client that asked (from storage, not from the request). */
  clientName: string;
}

/**
 * Renders the "Sign out of …?" confirmation; only its POST ends the session.
 *
 * @example
 * renderLogoutConfirmation({ branding, action: '/oauth/logout?client_id=app', csrfToken,
 *   clientName: 'Acme Dashboard' })
 */
export function renderLogoutConfirmation(props: LogoutConfirmationProps): string {
  const title = `Sign out of ${props.clientName}?`;
  const body = html`<h1>${title}</h1>
<p class="lead">You will be signed out of your ${props.branding.name} account on this device.</p>
<form method="post" action="${props.action}">
${hiddenFields(props.csrfToken)}
<button class="button" type="submit">Sign out</button>
</form>
<p class="hint">If you did not mean to sign out, close this page and you will stay signed in.</p>`;
  return renderDocument({ branding: props.branding, title, body });
}
