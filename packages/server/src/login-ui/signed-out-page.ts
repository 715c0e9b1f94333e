/** The page shown after an RP-initiated logout with no registered address to return to. */
import type { LoginBranding } from './branding.js';
import { html } from './html.js';
import { renderDocument } from './layout.js';

/**
 * Renders "You are signed out".
 *
 * @example
 * renderSignedOutPage({ branding: { name: 'Acme' } })
 */
export function renderSignedOutPage(props: { branding: LoginBranding }): string {
  const body = html`<h1>You are signed out</h1>
<p class="lead" role="status">You have been signed out of your ${props.branding.name} account on this device.</p>
<p class="hint">You can close this page.</p>`;
  return renderDocument({ branding: props.branding, title: 'Signed out', body });
}
