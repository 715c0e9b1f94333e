/**
 * The closed set of OAuth 2 / OpenID Connect error codes the hosted login answers with. They are
 * the wire codes of the specs, distinct from Tessera's own `ErrorCode` (`@tessera/protocol`).
 */

/**
 * Codes sent back to the client's redirect URI from `/oauth/authorize`
 * (RFC 6749 §4.1.2.1; OpenID Connect Core §3.1.2.6).
 */
export const AUTHORIZE_ERROR_CODES = [
  'invalid_request',
  'unauthorized_client',
  'access_denied',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'request_not_supported',
  'request_uri_not_supported',
] as const;

/** An error code for an authorization error response (RFC 6749 §4.1.2.1). */
export type AuthorizeErrorCode = (typeof AUTHORIZE_ERROR_CODES)[number];

/**
 * Codes for the error *page* of `/oauth/authorize`: the request cannot be trusted to name where to
 * redirect, so the user sees the error and nobody is redirected (RFC 6749 §4.1.2.1 ¶1).
 */
export type AuthorizeErrorPageCode = 'invalid_request' | 'invalid_client';

/**
 * Token-endpoint error codes and their HTTP status (RFC 6749 §5.2): 400, except `invalid_client`,
 * which is 401 (the HTTP layer adds `WWW-Authenticate` when the client used Basic).
 *
 * @example
 * reply.status(TOKEN_ERROR_STATUS[error]).send({ error, error_description })
 */
export const TOKEN_ERROR_STATUS = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
} as const satisfies Record<string, 400 | 401>;

/** An error code of the token endpoint (RFC 6749 §5.2). */
export type TokenErrorCode = keyof typeof TOKEN_ERROR_STATUS;

/**
 * A refusal at the token, revocation or introspection endpoint (or the revocation feed), as a
 * value: the use case returns it, the route answers `{error, error_description}` with
 * {@link TOKEN_ERROR_STATUS} (RFC 6749 §5.2). The description is generic text, never a token or a
 * secret.
 */
export interface TokenRefusal {
  ok: false;
  error: TokenErrorCode;
  description: string;
}

export function tokenRefusal(error: TokenErrorCode, description: string): TokenRefusal {
  return { ok: false, error, description };
}
