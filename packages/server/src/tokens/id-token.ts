/**
 * OpenID Connect ID tokens (OIDC Core §2): signed with the environment's current key, typed `JWT`
 * — never `at+jwt`, so no resource server can take one for an access token (RFC 8725 §3.11).
 */
import type { PrivateSigningKey } from '../keys/key-material.js';
import { signCompactJws } from './jws.js';

export interface IdTokenClaims {
  iss: string;
  sub: string;
  /** The client the token is for. */
  aud: string;
  exp: number;
  iat: number;
  auth_time: number;
  /** Echoed from the authorization request when it had one (replay defence for the client). */
  nonce?: string;
  /** The session id, for RP-initiated and back-channel logout. */
  sid: string;
  email?: string;
  name?: string | null;
}

export const ID_TOKEN_TYP = 'JWT';

export function signIdToken(key: PrivateSigningKey, claims: IdTokenClaims): string {
  return signCompactJws(key, ID_TOKEN_TYP, claims);
}
