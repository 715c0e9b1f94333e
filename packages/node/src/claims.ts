/**
 * The claims of a verified Tessera access token (DESIGN §5), and the checks jose leaves to us:
 * types of our own claims, integer time claims, an `iat` not in the future and a bounded lifetime.
 */
import { TesseraVerifyError } from './errors.js';

/** What `verify` returns: every claim here has been checked for presence and type. */
export interface AccessTokenClaims {
  iss: string;
  /** The client the token was issued to; an array when it names several (RFC 7519 §4.1.3). */
  aud: string | string[];
  /** The user id: identify users by `iss` + `sub`, never by email (JWT-10). */
  sub: string;
  /** The session id: the key of revocation. */
  sid: string;
  /** The tenant this token acts for. */
  tenantId: string;
  /** Every tenant the user belongs to. */
  tenantIds: string[];
  /** The user's role keys in `tenantId`. */
  roles: string[];
  /** The permission keys those roles grant in `tenantId`. */
  permissions: string[];
  iat: number;
  exp: number;
  jti: string;
  client_id: string;
  email?: string;
  name?: string | null;
  /** When the user last authenticated with a credential (epoch seconds). */
  auth_time?: number;
  nbf?: number;
  [claim: string]: unknown;
}

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
] as const;

/** Tessera's longest access-token lifetime (`accessTokenTtlSeconds` ≤ 1 day): `exp` = 1e308 is a forgery. */
export const MAX_TOKEN_LIFETIME_SECONDS = 86_400;

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
    payload.exp - payload.iat <= MAX_TOKEN_LIFETIME_SECONDS;
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
