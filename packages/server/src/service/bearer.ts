/**
 * Bearer authentication of the session API's own endpoints (`/me`, `/sessions`): the access token
 * is verified against the environment's published keys (alg pinned per key, `typ: at+jwt`, exact
 * issuer, `exp`), and its session must still be live — ending a session cuts these endpoints off
 * at once, not at token expiry. A token that fails any of this is an outcome (`unauthorized`), not
 * an exception: each door words it its own way (a 401, a `WWW-Authenticate` challenge, "inactive").
 */
import type { AccessTokenClaims } from '@tessera/protocol';
import type { SessionRecord } from '../engine/records.js';
import type { ServiceDeps } from './deps.js';
import { isCompactJws, verifyEnvironmentJwt } from './environment-jwt.js';

export interface BearerIdentity {
  claims: AccessTokenClaims;
  session: SessionRecord;
}

export type BearerAuthentication =
  | { kind: 'authenticated'; identity: BearerIdentity }
  /** No token, a malformed, forged or expired one, or one whose session is over. */
  | { kind: 'unauthorized' };

const UNAUTHORIZED: BearerAuthentication = { kind: 'unauthorized' };

export async function authenticateBearer(
  deps: ServiceDeps,
  envId: string,
  authorization: string | undefined,
): Promise<BearerAuthentication> {
  const token = parseBearer(authorization);
  if (token === null) return UNAUTHORIZED;
  return authenticateAccessToken(deps, envId, token);
}

/** An access token of this environment whose session is still live; `unauthorized` otherwise. */
export async function authenticateAccessToken(
  deps: ServiceDeps,
  envId: string,
  token: string,
): Promise<BearerAuthentication> {
  const payload = await verifyEnvironmentJwt(deps, envId, token, {
    typ: 'at+jwt',
    requiredClaims: ['sub', 'sid', 'tenantId', 'exp', 'iat', 'aud', 'client_id'],
  });
  if (payload === null) return UNAUTHORIZED;
  const claims = payload as unknown as AccessTokenClaims;
  if (
    typeof claims.sid !== 'string' ||
    typeof claims.tenantId !== 'string' ||
    claims.aud !== claims.client_id
  ) {
    return UNAUTHORIZED;
  }
  const session = await deps.storage.getSession(claims.sid);
  if (!session || session.endedAt !== null || session.envId !== envId || session.userId !== claims.sub) {
    return UNAUTHORIZED;
  }
  return { kind: 'authenticated', identity: { claims, session } };
}

function parseBearer(authorization: string | undefined): string | null {
  const match = authorization?.match(/^Bearer ([^\s]+)$/);
  const token = match?.[1];
  return token && isCompactJws(token) ? token : null;
}
