/**
 * Verification of the JWTs an environment signs, against its own published keys (alg pinned per
 * key, exact issuer, explicit `typ`). Used for Bearer access tokens and for ID tokens presented back
 * to us (`id_token_hint`).
 */
import { SIGNING_ALGORITHMS } from '@tessera/protocol';
import {
  createLocalJWKSet,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import type { ServiceDeps } from './deps.js';

/** Compact JWS of a sane size: anything else is refused before any crypto (JWT-15). */
const MAX_TOKEN_LENGTH = 8192;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Per environment: the key set built from the last JWKS seen, rebuilt when its keys change. Only
 * environments with published keys get one, and a flood of them starts over (bounded memory).
 */
const keySets = new Map<string, { kids: string; keySet: JWTVerifyGetKey }>();
const MAX_KEY_SETS = 1000;

export interface VerifyEnvironmentJwtOptions {
  typ: 'at+jwt' | 'JWT';
  requiredClaims: string[];
  /** Seconds of tolerance on `exp`/`nbf` [0]. */
  clockToleranceSeconds?: number;
}

/** Whether `token` has the shape of a compact JWS worth verifying. */
export function isCompactJws(token: string): boolean {
  return token.length <= MAX_TOKEN_LENGTH && COMPACT_JWS.test(token);
}

/**
 * The verified payload, or `null` for anything that is not a valid token of this environment:
 * malformed, wrong signature, key or `alg`, `typ`, issuer, expired, or missing a required claim.
 */
export async function verifyEnvironmentJwt(
  deps: ServiceDeps,
  envId: string,
  token: string,
  options: VerifyEnvironmentJwtOptions,
): Promise<JWTPayload | null> {
  if (!isCompactJws(token)) return null;
  const jwks = await deps.keyring.jwks(envId);
  if (jwks.keys.length === 0) return null;
  const kids = jwks.keys.map((key) => key.kid).join(' ');
  let cached = keySets.get(envId);
  if (cached?.kids !== kids) {
    cached = { kids, keySet: createLocalJWKSet(jwks as JSONWebKeySet) };
    if (keySets.size >= MAX_KEY_SETS) keySets.clear();
    keySets.set(envId, cached);
  }
  try {
    const verified = await jwtVerify(token, cached.keySet, {
      issuer: deps.baseUrl(envId),
      typ: options.typ,
      algorithms: [...SIGNING_ALGORITHMS],
      requiredClaims: options.requiredClaims,
      currentDate: new Date(deps.clock.now() * 1000),
      clockTolerance: options.clockToleranceSeconds ?? 0,
    });
    return verified.payload;
  } catch {
    return null;
  }
}
