/**
 * The authorization response: parameters appended to the registered redirect URI (RFC 6749
 * §4.1.2, §4.1.2.1) with the issuer identifier (RFC 9207; security.md AS-14).
 */
import type { AuthorizeErrorCode } from './errors.js';

/** What a redirect back to the client carries: a code, or an error. Both carry `iss`. */
export type AuthorizationResponseParams =
  | { code: string; state?: string; iss: string }
  | { error: AuthorizeErrorCode; error_description?: string; state?: string; iss: string };

/**
 * The URL to redirect to: `redirectUri` (a registered value, kept byte for byte and with its own
 * query, RFC 6749 §3.1.2) followed by form-urlencoded response parameters, so CR, LF, `<` and
 * every other special character in `state` or a description arrive encoded, never raw.
 *
 * @example
 * buildRedirect('https://app.example.com/cb', { code, state, iss: 'https://auth.example.com' })
 * // 'https://app.example.com/cb?code=…&state=…&iss=https%3A%2F%2Fauth.example.com'
 */
export function buildRedirect(redirectUri: string, params: AuthorizationResponseParams): string {
  // Registration refuses fragments; one here would swallow the parameters.
  if (redirectUri.includes('#')) throw new Error('A redirect URI must not contain a fragment.');
  const query = new URLSearchParams();
  if ('code' in params) query.set('code', params.code);
  else {
    query.set('error', params.error);
    if (params.error_description !== undefined) query.set('error_description', params.error_description);
  }
  if (params.state !== undefined) query.set('state', params.state);
  query.set('iss', params.iss);
  return appendQuery(redirectUri, query);
}

/**
 * `uri` (a registered value, kept byte for byte with its own query) followed by `query`,
 * form-urlencoded. Shared by every redirect back to a client: authorization and post-logout.
 *
 * @example
 * appendQuery('https://app.example.com/cb?x=1', new URLSearchParams({ state: 's' })) // '…/cb?x=1&state=s'
 */
export function appendQuery(uri: string, query: URLSearchParams): string {
  const separator = !uri.includes('?') ? '?' : /[?&]$/.test(uri) ? '' : '&';
  return `${uri}${separator}${query.toString()}`;
}
