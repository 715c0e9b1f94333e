/**
 * Bearer authentication of the session API's own endpoints (`/me`, `/sessions`): the access token
 * is verified against the environment's published keys (alg pinned per key, `typ: at+jwt`, exact
 * issuer, `exp`), and its session must still be live — ending a session cuts these endpoints off
 * at once, not at token expiry.
 */
import type { AccessTokenClaims } from '@tessera/protocol';
import type { SessionRecord } from '../engine/records.js';
import { TesseraError } from '../errors.js';
import type { ServiceDeps } from './deps.js';
import { isCompactJws, verifyEnvironmentJwt } from './environment-jwt.js';

export interface BearerIdentity {
  claims: AccessTokenClaims;
  session: SessionRecord;
}

export async function authenticateBearer(
  deps: ServiceDeps,
  envId: string,
  authorization: string | undefined,
): Promise<BearerIdentity> {
  return authenticateAccessToken(deps, envId, parseBearer(authorization));
}

/** An access token of this environment whose session is still live; `unauthorized` otherwise. */
export async function authenticateAccessToken(
  deps: ServiceDeps,
  envId: string,
  token: string,
): Promise<BearerIdentity> {
  const payload = await verifyEnvironmentJwt(deps, envId, token, {
    typ: 'at+jwt',
    requiredClaims: ['sub', 'sid', 'tenantId', 'exp', 'iat', 'aud', 'client_id'],
  });
  if (payload === null) throw new TesseraError('unauthorized');
  const claims = payload as unknown as AccessTokenClaims;
  if (
    typeof claims.sid !== 'string' ||
    typeof claims.tenantId !== 'string' ||
    claims.aud !== claims.client_id
  ) {
    throw new TesseraError('unauthorized');
  }
  const session = await deps.storage.getSession(claims.sid);
  if (!session || session.endedAt !== null || session.envId !== envId || session.userId !== claims.sub) {
    throw new TesseraError('unauthorized');
  }
  return { claims, session };
}

function parseBearer(authorization: string | undefined): string {
  const match = authorization?.match(/^Bearer ([^\s]+)$/);
  const token = match?.[1];
  if (!token || !isCompactJws(token)) throw new TesseraError('unauthorized');
  return token;
}
