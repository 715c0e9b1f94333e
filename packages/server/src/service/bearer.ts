/**
 * Bearer authentication of the session API's own endpoints (`/me`, `/sessions`): the access token
 * is verified against the environment's published keys (alg pinned per key, `typ: at+jwt`, exact
 * issuer, `exp`), and its session must still be live — ending a session cuts these endpoints off
 * at once, not at token expiry.
 */
import type { AccessTokenClaims } from '@tessera/protocol';
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { SessionRecord } from '../engine/records.js';
import { TesseraError } from '../errors.js';
import type { ServiceDeps } from './deps.js';

export interface BearerIdentity {
  claims: AccessTokenClaims;
  session: SessionRecord;
}

/** Compact JWS of a sane size: anything else is refused before any crypto (JWT-15). */
const MAX_TOKEN_LENGTH = 8192;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Per environment: the key set built from the last JWKS seen, rebuilt when its keys change. */
const keySets = new Map<string, { kids: string; keySet: JWTVerifyGetKey }>();

export async function authenticateBearer(
  deps: ServiceDeps,
  envId: string,
  authorization: string | undefined,
): Promise<BearerIdentity> {
  const token = parseBearer(authorization);
  const jwks = await deps.keyring.jwks(envId);
  const kids = jwks.keys.map((key) => key.kid).join(' ');
  let cached = keySets.get(envId);
  if (cached?.kids !== kids) {
    cached = { kids, keySet: createLocalJWKSet(jwks as JSONWebKeySet) };
    keySets.set(envId, cached);
  }
  const keySet = cached.keySet;
  let claims: AccessTokenClaims;
  try {
    const verified = await jwtVerify(token, keySet, {
      issuer: deps.baseUrl(envId),
      typ: 'at+jwt',
      algorithms: ['ES256', 'EdDSA', 'RS256'],
      requiredClaims: ['sub', 'sid', 'tenantId', 'exp', 'iat', 'aud', 'client_id'],
      currentDate: new Date(deps.clock.now() * 1000),
    });
    claims = verified.payload as unknown as AccessTokenClaims;
  } catch (error) {
    throw new TesseraError('unauthorized', { cause: error });
  }
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
  if (!token || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token))
    throw new TesseraError('unauthorized');
  return token;
}
