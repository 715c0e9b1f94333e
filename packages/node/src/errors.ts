/**
 * The one error `verify` throws: a stable `code` from a closed set, and the HTTP status a resource
 * server answers with. Messages are generic on purpose and never contain the token; the adapters do
 * not even send them (security.md MW-05): the client only ever sees `invalid_token`.
 */

/** Every code, with the status an adapter answers it with (401 refuses the token, 5xx the moment). */
export const VERIFY_ERROR_STATUS = {
  /** No token: no `Authorization` header, or an empty token. */
  token_missing: 401,
  /** Not a compact JWS we parse: size, segments, encoding, JSON, duplicate names, `Bearer` syntax. */
  token_malformed: 401,
  /** A well-formed token we refuse: signature, `alg`, `kid`, `typ`, `crit`/`b64`/`zip`/`cty`. */
  token_invalid: 401,
  /** `exp` is past, beyond the leeway. */
  token_expired: 401,
  /** `nbf` is in the future, beyond the leeway. */
  token_not_yet_valid: 401,
  /** `aud` does not name this resource server. */
  audience_mismatch: 401,
  /** `iss` is not exactly the configured issuer. */
  issuer_mismatch: 401,
  /** A required claim is missing or of the wrong type, or a time claim is out of bounds. */
  claim_invalid: 401,
  /** Strict mode: the revocation feed announced that the token's session ended. */
  session_revoked: 401,
  /** Strict mode: the revocation feed is not live, so an ended session cannot be told apart. */
  revocation_feed_stale: 503,
  /** The issuer's JWKS could not be fetched or parsed, and no cached key applies. */
  jwks_unavailable: 503,
  /** Anything else inside the verifier: a bug or a broken dependency. Refused, never allowed. */
  internal_error: 500,
} as const satisfies Record<string, 401 | 500 | 503>;

export type VerifyErrorCode = keyof typeof VERIFY_ERROR_STATUS;

/** All codes, in the order of {@link VERIFY_ERROR_STATUS}. */
export const VERIFY_ERROR_CODES = Object.keys(VERIFY_ERROR_STATUS) as readonly VerifyErrorCode[];

const MESSAGES: Record<VerifyErrorCode, string> = {
  token_missing: 'No access token was presented.',
  token_malformed: 'The access token is malformed.',
  token_invalid: 'The access token is invalid.',
  token_expired: 'The access token has expired.',
  token_not_yet_valid: 'The access token is not valid yet.',
  audience_mismatch: 'The access token is not meant for this audience.',
  issuer_mismatch: 'The access token comes from another issuer.',
  claim_invalid: 'The access token lacks a required claim or has an invalid one.',
  session_revoked: 'The session of this access token has ended.',
  revocation_feed_stale: 'The revocation feed is not live; tokens cannot be checked.',
  jwks_unavailable: 'The signing keys of the issuer are unavailable.',
  internal_error: 'The access token could not be verified.',
};

/**
 * Thrown by `verifier.verify` for every refused token and every failure to decide.
 *
 * @example
 * try {
 *   const claims = await verifier.verify(token);
 * } catch (error) {
 *   if (error instanceof TesseraVerifyError) log.info({ code: error.code }, 'token refused');
 *   throw error;
 * }
 */
export class TesseraVerifyError extends Error {
  override readonly name = 'TesseraVerifyError';
  readonly code: VerifyErrorCode;
  /** The HTTP status a resource server answers with: 401, 500 or 503. */
  readonly status: 401 | 500 | 503;

  constructor(code: VerifyErrorCode, options?: { cause?: unknown }) {
    super(MESSAGES[code], options);
    this.code = code;
    this.status = VERIFY_ERROR_STATUS[code];
  }
}

export function isTesseraVerifyError(value: unknown): value is TesseraVerifyError {
  return value instanceof TesseraVerifyError;
}
