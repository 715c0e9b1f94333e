/**
 * The bounds a verifier of Tessera's access tokens relies on, which the server keeps: defined once
 * here because the server's key schedule, revocation backlog and settings depend on what
 * `@tessera/node` accepts, and the other way round (DESIGN §7).
 */

/**
 * The longest an access token lives (`accessTokenTtlSeconds` ≤ 1 day): an access token cannot be
 * revoked, only expire. A verifier refuses a longer `exp - iat` as a forgery.
 */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 86_400;

/**
 * The most leeway a verifier may allow past `exp`. The server keeps a retired key published, and
 * replays an ending on its revocation feed, this long after the last token it concerns expired.
 */
export const MAX_VERIFIER_LEEWAY_SECONDS = 60;

/** How long a verifier may cache the JWKS (its `Cache-Control: max-age`): a next key is published this long before it signs. */
export const JWKS_CACHE_SECONDS = 300;
