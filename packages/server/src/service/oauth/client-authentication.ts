/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3;
 * AS-11): a `confidential` client proves its secret, a `spa` client is public and presents none.
 * A failure is a refusal the route answers (`invalid_client`), not an exception.
 */
import { type TokenRefusal, tokenRefusal } from '../../oauth/errors.js';
import type { ClientAuthentication } from '../../oauth/token-request.js';
import type { ClientRecord } from '../../storage/records.js';
import { verifyClientSecret } from '../admin/client-secret.js';
import type { ServiceDeps } from '../deps.js';

/** One answer for every failure: which part was wrong is not the caller's business. */
const FAILED = 'Client authentication failed.';

export type ClientAuthenticationResult = { ok: true; client: ClientRecord } | TokenRefusal;

export interface PresentedClient {
  clientId: string;
  clientAuth: ClientAuthentication;
  /**
   * The request's `Origin`, when a browser sent one: a spa is then held to its registered origins,
   * so a page elsewhere cannot spend a public client's codes or tokens.
   */
  origin?: string | undefined;
}

export async function authenticateOAuthClient(
  deps: ServiceDeps,
  envId: string,
  presented: PresentedClient,
): Promise<ClientAuthenticationResult> {
  const client = await deps.lookups.getClient(envId, presented.clientId);
  if (!client) return tokenRefusal('invalid_client', FAILED);
  const { clientAuth, origin } = presented;
  if (client.type === 'spa') {
    // A public client has no secret; one that sends a secret is misconfigured, not authenticated.
    if (clientAuth.method !== 'none') return tokenRefusal('invalid_client', FAILED);
  } else if (
    clientAuth.method === 'none' ||
    client.secretHash === null ||
    !verifyClientSecret(client.secretHash, clientAuth.secret)
  ) {
    return tokenRefusal('invalid_client', FAILED);
  }
  if (origin !== undefined && !client.allowedOrigins.includes(origin))
    return tokenRefusal('invalid_client', FAILED);
  return { ok: true, client };
}

/**
 * A resource server subscribing to the revocation feed (docs/revocation-feed.md): a confidential
 * client of the environment, never a browser's public one.
 */
export async function authenticateFeedSubscriber(
  deps: ServiceDeps,
  envId: string,
  presented: PresentedClient,
): Promise<ClientAuthenticationResult> {
  const authenticated = await authenticateOAuthClient(deps, envId, presented);
  if (authenticated.ok && authenticated.client.type !== 'confidential')
    return tokenRefusal('invalid_client', 'The revocation feed is for confidential clients.');
  return authenticated;
}
