/** The page shown for an authorization request that cannot be answered with a redirect. */
import type { LoginBranding } from './branding.js';
import { html } from './html.js';
import { renderDocument } from './layout.js';

export interface ErrorPageProps {
  /** Omit when the environment is unknown; the page is then branded "Tessera". */
  branding?: LoginBranding | undefined;
  /** A short, generic title chosen by the caller (never request input). */
  title: string;
  /** A generic explanation (never request input, never whether an account or client exists). */
  message: string;
}

/**
 * Renders an error page. It has no link or redirect back: when the redirect URI is the
 * problem, the only safe destination is none (security.md §2.3). The caller sets the status.
 *
 * @example
 * renderErrorPage({ title: 'This sign-in link is not valid',
 *   message: 'The application sent an incomplete or unrecognised request.' })
 */
export function renderErrorPage(props: ErrorPageProps): string {
  const body = html`<h1>${props.title}</h1>
<p class="lead">${props.message}</p>
<p class="hint">You can close this page and return to the application you came from.</p>`;
  return renderDocument({ branding: props.branding, title: props.title, body });
}
