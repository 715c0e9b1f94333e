/**
 * The claims of a verified Tessera access token (DESIGN §5), and the checks jose leaves to us:
 * types of our own claims, integer time claims, an `iat` not in the future and a bounded lifetime.
 */
import {
  type AccessTokenClaims as IssuedAccessTokenClaims,
  MAX_ACCESS_TOKEN_TTL_SECONDS,
} from '@tessera/protocol';
import { TesseraVerifyError } from './errors.js';

/**
 * What `verify` returns: the claims Tessera issues (`@tessera/protocol`), every one checked for
 * presence and type, except that a verifier also accepts what RFC 7519 allows and Tessera does not
 * always write: `aud` as an array (§4.1.3), no `email`, `name` or `auth_time`, an `nbf`, and claims
 * of its own. Identify users by `iss` + `sub`, never by email (JWT-10); `sid` is the key of revocation.
 */
export type AccessTokenClaims = Omit<IssuedAccessTokenClaims, 'aud' | 'email' | 'name' | 'auth_time'> &
  Partial<Pick<IssuedAccessTokenClaims, 'email' | 'name' | 'auth_time'>> & {
    /** The client the token was issued to; an array when it names several (RFC 7519 §4.1.3). */
    aud: string | string[];
    nbf?: number;
    [claim: string]: unknown;
  };

/** The claims jose checks for presence; types and the rest are checked by {@link checkClaims}. */
export const REQUIRED_CLAIMS = [
  'iss',
  'aud',
  'sub',
  'sid',
  'tenantId',
  'tenantIds',
  'roles',
  'permissions',
  'iat',
  'exp',
  'jti',
  'client_id',
] as const satisfies readonly (keyof IssuedAccessTokenClaims)[];

/**
 * Checks what jose does not, on a payload whose signature, `iss`, `aud`, `exp` and `nbf` it verified.
 *
 * @throws TesseraVerifyError `claim_invalid`.
 */
export function checkClaims(
  payload: Record<string, unknown>,
  nowSeconds: number,
  clockToleranceSeconds: number,
): AccessTokenClaims {
  const ok =
    isNonEmptyString(payload.sub) &&
    isNonEmptyString(payload.sid) &&
    isNonEmptyString(payload.tenantId) &&
    isNonEmptyString(payload.jti) &&
    isNonEmptyString(payload.client_id) &&
    isStringArray(payload.tenantIds) &&
    isStringArray(payload.roles) &&
    isStringArray(payload.permissions) &&
    isEpochSeconds(payload.iat) &&
    isEpochSeconds(payload.exp) &&
    (payload.nbf === undefined || isEpochSeconds(payload.nbf)) &&
    (payload.auth_time === undefined || isEpochSeconds(payload.auth_time)) &&
    (payload.email === undefined || typeof payload.email === 'string') &&
    (payload.name === undefined || payload.name === null || typeof payload.name === 'string') &&
    payload.iat <= nowSeconds + clockToleranceSeconds &&
    payload.exp > payload.iat &&
    // `exp` = 1e308 is a forgery: no Tessera token lives longer than a day.
    payload.exp - payload.iat <= MAX_ACCESS_TOKEN_TTL_SECONDS;
  if (!ok) throw new TesseraVerifyError('claim_invalid');
  return payload as AccessTokenClaims;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Tessera writes whole seconds; a float, a negative or `1e308` is not one of its tokens. */
function isEpochSeconds(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
