/**
 * The closed set of error codes Tessera answers with, and the HTTP status of each.
 * Every code is documented in `docs/errors.md`; a test fails when one is missing there.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  invalid_credentials: 401,
  unauthorized: 401,
  no_session: 401,
  session_expired: 401,
  idle_timeout: 401,
  relogin_required: 401,
  session_revoked: 401,
  refresh_token_reused: 401,
  csrf_rejected: 403,
  forbidden: 403,
  tenant_forbidden: 403,
  max_sessions_reached: 403,
  user_disabled: 403,
  unauthorized_client: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, number>;

/** A stable, documented error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Every error response body: a stable `error` code and a generic, human-readable `message`; a
 * refused input (`invalid_request`) also names its `field` where one is at fault.
 */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  /** A JSON Pointer into the body (`/redirectUris/0`), or a path or query parameter's name. */
  field?: string;
}

/** All error codes, in the order of {@link ERROR_STATUS}. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as readonly ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}
