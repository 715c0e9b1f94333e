/**
 * `createVerifier` (DESIGN §7): one call that pins everything a Tessera access token must be
 * (security.md MW-01) — there is no decode-only path. Order: shape checks before any crypto
 * (JWT-13…15), then jose (`alg` allowlist, key from the JWKS by `kid`, signature, `typ`, exact `iss`,
 * `aud`, `exp`/`nbf` with leeway, required claims), then the types of our own claims, then, in
 * strict mode, the revocation feed. Every failure is a {@link TesseraVerifyError}; nothing inside
 * can make `verify` resolve for a token it did not check (MW-03).
 */
import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { type AccessTokenClaims, checkClaims, REQUIRED_CLAIMS } from './claims.js';
import { inspectCompactJws } from './compact-jws.js';
import { TesseraVerifyError } from './errors.js';
import { createJwks, JwksUnavailableError } from './jwks.js';
import { type ResolvedOptions, resolveOptions, type VerifierOptions } from './options.js';
import { type FeedStatus, followRevocationFeed, type RevocationFeed } from './revocation/revocation-feed.js';
import { systemTimers, type Timers } from './timers.js';

export type VerifierStatus = FeedStatus;

export interface Verifier {
  /**
   * The verified claims of `token` (the part after `Bearer `).
   *
   * @throws TesseraVerifyError with a stable `code` and the `status` to answer with.
   */
  verify(token: string | null | undefined): Promise<AccessTokenClaims>;
  /** The revocation feed's state (`off` unless strict). */
  status(): VerifierStatus;
  /** Stops following the feed; a strict verifier then refuses every token. */
  close(): Promise<void>;
}

/**
 * Creates a verifier for one Tessera environment. Throws a TypeError naming every invalid option.
 *
 * @example
 * const verifier = createVerifier({
 *   issuer: 'https://auth.example.com',
 *   audience: 'app',
 *   strict: { clientId: 'orders-api', clientSecret: process.env.TESSERA_CLIENT_SECRET! },
 * });
 * const claims = await verifier.verify(token); // throws TesseraVerifyError
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return createVerifierWithTimers(options, systemTimers);
}

/**
 * {@link createVerifier} on the given timers (the feed's and the start-up wait's): tests move them
 * by hand. Not exported from the package: a resource server has no reason to replace them.
 */
export function createVerifierWithTimers(options: VerifierOptions, timers: Timers): Verifier {
  const resolved = resolveOptions(options);
  const jwks = createJwks({
    uri: resolved.jwksUri,
    fetch: resolved.fetch,
    cacheMaxAgeSeconds: resolved.jwksCacheMaxAgeSeconds,
    cooldownSeconds: resolved.jwksCooldownSeconds,
    timeoutSeconds: resolved.jwksTimeoutSeconds,
  });
  const feed = resolved.strict
    ? followRevocationFeed({
        url: resolved.strict.feedUrl,
        clientId: resolved.strict.clientId,
        clientSecret: resolved.strict.clientSecret,
        fetch: resolved.fetch,
        now: () => resolved.clock.now(),
        timers,
        maxStalenessSeconds: resolved.strict.maxStalenessSeconds,
        clockToleranceSeconds: resolved.clockToleranceSeconds,
        logger: resolved.logger,
        onStatus: resolved.strict.onStatus,
      })
    : null;
  // Waiting is for the first moments after start only: once they have passed, a feed that is not
  // up refuses at once instead of holding every request for the whole wait.
  const waitForReadyUntil = timers.now() + (resolved.strict?.startupWaitSeconds ?? 0) * 1000;

  return {
    async verify(token) {
      try {
        const claims = await verifySignedToken(resolved, jwks, token);
        if (feed) await checkFeed(feed, claims.sid, waitForReadyUntil - timers.now());
        return claims;
      } catch (error) {
        throw toVerifyError(error);
      }
    },
    status() {
      return feed ? feed.status() : { state: 'off', lastEventAt: null, cursor: null, revokedSessions: 0 };
    },
    async close() {
      await feed?.close();
    },
  };
}

async function verifySignedToken(
  options: ResolvedOptions,
  jwks: JWTVerifyGetKey,
  token: string | null | undefined,
): Promise<AccessTokenClaims> {
  if (typeof token !== 'string' || token === '') throw new TesseraVerifyError('token_missing');
  inspectCompactJws(token, options.algorithms);
  const now = options.clock.now();
  const { payload } = await jwtVerify(token, jwks, {
    algorithms: options.algorithms,
    typ: 'at+jwt',
    issuer: options.issuer,
    audience: options.audience,
    requiredClaims: [...REQUIRED_CLAIMS],
    clockTolerance: options.clockToleranceSeconds,
    currentDate: new Date(now * 1000),
  });
  return checkClaims(payload, now, options.clockToleranceSeconds);
}

async function checkFeed(feed: RevocationFeed, sid: string, waitMs: number): Promise<void> {
  if (!feed.isUsable()) {
    // Only before the first `ready` is waiting worth it: a stale feed does not heal in a request's time.
    const state = feed.status().state;
    if (state !== 'connecting' || !(await feed.waitForReady(waitMs)) || !feed.isUsable()) {
      throw new TesseraVerifyError('revocation_feed_stale');
    }
  }
  if (feed.isRevoked(sid)) throw new TesseraVerifyError('session_revoked');
}

/** Maps anything thrown on the way to a stable code; what is not recognised is `internal_error`. */
function toVerifyError(error: unknown): TesseraVerifyError {
  if (error instanceof TesseraVerifyError) return error;
  const options = { cause: error };
  if (error instanceof JwksUnavailableError || error instanceof errors.JWKSTimeout) {
    return new TesseraVerifyError('jwks_unavailable', options);
  }
  if (error instanceof errors.JWTExpired) return new TesseraVerifyError('token_expired', options);
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return new TesseraVerifyError('issuer_mismatch', options);
      case 'aud':
        return new TesseraVerifyError('audience_mismatch', options);
      case 'typ':
        return new TesseraVerifyError('token_invalid', options);
      case 'nbf':
        return new TesseraVerifyError(
          error.reason === 'check_failed' ? 'token_not_yet_valid' : 'claim_invalid',
          options,
        );
      default:
        return new TesseraVerifyError('claim_invalid', options);
    }
  }
  if (error instanceof errors.JWTInvalid) return new TesseraVerifyError('claim_invalid', options);
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JWSInvalid
  ) {
    return new TesseraVerifyError('token_invalid', options);
  }
  if (error instanceof errors.JWKSInvalid) return new TesseraVerifyError('jwks_unavailable', options);
  return new TesseraVerifyError('internal_error', options);
}
