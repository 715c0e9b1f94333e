/**
 * Redirect-URI matching for `/oauth/authorize` and `/oauth/logout`: exact string comparison
 * against the client's registered list (RFC 9700 §2.1, §4.1.3; security.md AS-01, AS-10). No
 * normalisation, no case folding, no wildcards, no default-port or trailing-slash leniency: every
 * such relaxation has been an open-redirect bypass somewhere (Keycloak CVE-2022-3782,
 * CVE-2024-8883).
 */
import type { ClientRecord } from '../storage/records.js';

/** The result of a match: the registered value itself, or why there is none. */
export type RedirectUriMatch = { ok: true; uri: string } | { ok: false; reason: 'missing' | 'mismatch' };

/**
 * The registered redirect URI that `requested` names exactly. When the parameter is absent it
 * defaults to the client's only registered URI (RFC 6749 §3.1.2.3); with several, it is required.
 *
 * @example
 * matchRegisteredRedirectUri(client, 'https://app.example.com/cb') // { ok: true, uri: '…/cb' }
 */
export function matchRegisteredRedirectUri(
  client: Pick<ClientRecord, 'redirectUris'>,
  requested: string | undefined,
): RedirectUriMatch {
  return matchExactly(client.redirectUris, requested);
}

/**
 * The registered post-logout redirect URI that `requested` names exactly, with the same rules as
 * {@link matchRegisteredRedirectUri} (OpenID Connect RP-Initiated Logout 1.0 §3; AS-10).
 *
 * @example
 * matchPostLogoutRedirectUri(client, 'https://app.example.com/') // { ok: true, uri: '…/' }
 */
export function matchPostLogoutRedirectUri(
  client: Pick<ClientRecord, 'postLogoutRedirectUris'>,
  requested: string | undefined,
): RedirectUriMatch {
  return matchExactly(client.postLogoutRedirectUris, requested);
}

function matchExactly(registered: readonly string[], requested: string | undefined): RedirectUriMatch {
  if (requested === undefined) {
    const [only] = registered;
    return registered.length === 1 && only !== undefined
      ? { ok: true, uri: only }
      : { ok: false, reason: 'missing' };
  }
  // Return the stored value, not the request's, so nothing downstream echoes attacker input.
  const uri = registered.find((candidate) => candidate === requested);
  return uri === undefined ? { ok: false, reason: 'mismatch' } : { ok: true, uri };
}
