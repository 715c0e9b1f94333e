/**
 * One error base for expected protocol failures, and a config error for start-up mistakes.
 * Messages are generic and never carry a token, secret, hash, cookie or password.
 */
import { ERROR_STATUS, type ErrorCode } from '@tessera/protocol';

const GENERIC_MESSAGES: Record<ErrorCode, string> = {
  invalid_request: 'The request is malformed.',
  invalid_credentials: 'The email or password is incorrect.',
  unauthorized: 'Authentication is required.',
  no_session: 'There is no session.',
  session_expired: 'The session has expired.',
  idle_timeout: 'The session ended after a period of inactivity.',
  relogin_required: 'The session reached its maximum lifetime; please sign in again.',
  session_revoked: 'The session has ended.',
  refresh_token_reused: 'The session was ended because a refresh token was reused.',
  csrf_rejected: 'The request was rejected by the cross-site request forgery defence.',
  forbidden: 'This action is not allowed.',
  tenant_forbidden: 'The user is not a member of this tenant.',
  max_sessions_reached: 'The maximum number of concurrent sessions has been reached.',
  user_disabled: 'The user is disabled.',
  unauthorized_client: 'This client does not use the browser session API.',
  not_found: 'Not found.',
  method_not_allowed: 'Method not allowed.',
  conflict: 'The resource already exists.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'The content type is not supported.',
  rate_limited: 'Too many attempts; try again later.',
  internal_error: 'An internal error occurred.',
  service_unavailable: 'The service is temporarily unavailable.',
};

export interface TesseraErrorOptions {
  /** A public, generic message overriding the code's default. Never put secrets here. */
  message?: string;
  cause?: unknown;
  /** Seconds for a `Retry-After` header (429, 503). */
  retryAfterSeconds?: number;
  /**
   * The input at fault (400): a JSON Pointer into the body (`/redirectUris/0`), or the name of a
   * path or query parameter (`envId`, `limit`). Answered as the `field` member.
   */
  field?: string;
}

/** An expected failure with a stable code, answered as `{error, message}` with the code's status. */
export class TesseraError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  readonly field: string | undefined;

  constructor(code: ErrorCode, options: TesseraErrorOptions = {}) {
    super(options.message ?? GENERIC_MESSAGES[code], { cause: options.cause });
    this.name = 'TesseraError';
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.field = options.field;
  }
}

export function genericMessage(code: ErrorCode): string {
  return GENERIC_MESSAGES[code];
}

/** Thrown at start-up with every configuration problem at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = Object.freeze([...problems]);
  }
}
