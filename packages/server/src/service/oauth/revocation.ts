/**
 * Token revocation (RFC 7009). A Tessera token stands for its session, so revoking one — a
 * confidential client's refresh token, or any client's access token — ends that session. Only the
 * client the token was issued to may revoke it; every other case (unknown, malformed, expired,
 * another client's) is answered the same way, 200 with nothing changed (RFC 7009 §2.2).
 */
import type { ClientRecord, EnvironmentRecord } from '../../storage/records.js';
import { isWellFormedRefreshToken } from '../../tokens/refresh-token.js';
import { authenticateAccessToken, type BearerAuthentication } from '../bearer.js';
import type { ServiceDeps } from '../deps.js';
import { type RequestOrigin, recordEvent } from '../events.js';
import { lookUpRefreshToken } from '../refresh-token-lookup.js';

export async function revokeToken(
  deps: ServiceDeps,
  input: { environment: EnvironmentRecord; client: ClientRecord; token: string; origin?: RequestOrigin },
): Promise<void> {
  const sessionId = await sessionOfToken(deps, input);
  if (sessionId === null) return;
  if (await deps.storage.endSession(sessionId, 'revoked', deps.clock.now())) {
    await recordEvent(deps, {
      type: 'session.ended',
      envId: input.environment.id,
      sid: sessionId,
      clientId: input.client.clientId,
      ...input.origin,
      details: { reason: 'revoked' },
    });
  }
}

async function sessionOfToken(
  deps: ServiceDeps,
  { environment, client, token }: { environment: EnvironmentRecord; client: ClientRecord; token: string },
): Promise<string | null> {
  if (isWellFormedRefreshToken(token)) {
    // RT-07: only the client a refresh token was issued to; the browser's cookie is not a client's.
    const found = await lookUpRefreshToken(deps, {
      envId: environment.id,
      refreshToken: token,
      presenter: { kind: 'client', clientId: client.clientId },
    });
    return found.kind === 'found' ? found.context.session.id : null;
  }
  // A store that cannot answer counts as an unknown token here (200, nothing revoked), as it always has.
  const authenticated = await authenticateAccessToken(deps, environment.id, token).catch(
    (): BearerAuthentication => ({ kind: 'unauthorized' }),
  );
  if (authenticated.kind === 'unauthorized') return null;
  const { claims, session } = authenticated.identity;
  return claims.client_id === client.clientId ? session.id : null;
}
