/** What the SDK throws: the server's stable error code, or one of its own. */

/** Codes the SDK raises itself, besides the server's (`@tessera/protocol` `ErrorCode`). */
export type ClientErrorCode =
  /** The server could not be reached, or kept answering 429/5xx. The session is kept. */
  | 'network_error'
  /** A hosted-login callback that this tab did not start, or whose state or issuer is wrong. */
  | 'invalid_callback'
  /** The options passed to `createAuthClient` are unusable. */
  | 'invalid_options';

export class TesseraAuthError extends Error {
  /** A server error code (`invalid_credentials`, `rate_limited`, …) or a {@link ClientErrorCode}. */
  readonly code: string;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Seconds to wait, from `Retry-After`, when the server said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: string, message: string, options: { status?: number; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'TesseraAuthError';
    this.code = code;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
