/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3;
 * AS-11): a `confidential` client proves its secret, a `spa` client is public and presents none.
 */

import { OAuthTokenError } from '../../oauth/errors.js';
import type { ClientAuthentication } from '../../oauth/token-request.js';
import type { ClientRecord } from '../../storage/records.js';
import { verifyClientSecret } from '../admin/client-secret.js';
import type { ServiceDeps } from '../deps.js';

/** One answer for every failure: which part was wrong is not the caller's business. */
const FAILED = 'Client authentication failed.';

export async function authenticateOAuthClient(
  deps: ServiceDeps,
  envId: string,
  presented: { clientId: string; clientAuth: ClientAuthentication },
): Promise<ClientRecord> {
  const client = await deps.lookups.getClient(envId, presented.clientId);
  if (!client) throw new OAuthTokenError('invalid_client', FAILED);
  const { clientAuth } = presented;
  if (client.type === 'spa') {
    // A public client has no secret; one that sends a secret is misconfigured, not authenticated.
    if (clientAuth.method !== 'none') throw new OAuthTokenError('invalid_client', FAILED);
    return client;
  }
  if (
    clientAuth.method === 'none' ||
    client.secretHash === null ||
    !verifyClientSecret(client.secretHash, clientAuth.secret)
  ) {
    throw new OAuthTokenError('invalid_client', FAILED);
  }
  return client;
}
