/**
 * `createVerifier` options: validated once, every problem reported at once, then frozen. A verifier
 * that cannot be configured safely does not start (security.md MW-03: a misconfiguration must never
 * mean "allow").
 */
import { JWKS_CACHE_SECONDS, MAX_VERIFIER_LEEWAY_SECONDS } from '@tessera/protocol';
import type { FeedLogger, FeedStatus } from './revocation/revocation-feed.js';

/** The asymmetric JWS algorithms a verifier may pin. `none` and HS* never (security.md JWT-02). */
export const ASYMMETRIC_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

export type VerifierAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** Epoch seconds; `Date.now() / 1000` unless given. */
export interface Clock {
  now(): number;
}

export type VerifierLogger = FeedLogger;

export interface StrictOptions {
  /** A confidential client of the environment: the feed is authenticated (HTTP Basic). */
  clientId: string;
  clientSecret: string;
  /** After this long without any event, every token is refused with `revocation_feed_stale` [30]. */
  maxStalenessSeconds?: number;
  /** For this long after start, `verify` waits for the feed's first `ready`; 0 refuses at once [5]. */
  startupWaitSeconds?: number;
  /** Called on every change of `status().state`. */
  onStatus?: (status: FeedStatus) => void;
}

export interface VerifierOptions {
  /** The environment's base URL, exactly as in `iss` (a trailing slash is dropped, as the server does). */
  issuer: string;
  /** The client id(s) tokens must be issued to (`aud`). */
  audience: string | readonly string[];
  /** The signing algorithm(s) of the environment's keys ['ES256']. */
  algorithms?: readonly VerifierAlgorithm[];
  /** [`${issuer}/.well-known/jwks.json`] */
  jwksUri?: string;
  /** Leeway on `exp`, `nbf` and `iat`, at most 60 [30]. */
  clockToleranceSeconds?: number;
  /** Follow the revocation feed and refuse tokens of ended sessions [false]. */
  strict?: false | StrictOptions;
  /** Used for the JWKS and the feed [globalThis.fetch]. */
  fetch?: typeof fetch;
  /** Time for `exp`/`nbf`/`iat` and feed staleness [system clock]. */
  clock?: Clock;
  /** Where the feed says it is behind or stale [console]. */
  logger?: VerifierLogger;
  /** How long fetched keys are trusted without refetching; at most the server's JWKS cache window [300]. */
  jwksCacheMaxAgeSeconds?: number;
  /** The least time between two fetches caused by an unknown `kid` [30]. */
  jwksCooldownSeconds?: number;
  /** [5] */
  jwksTimeoutSeconds?: number;
}

export interface ResolvedOptions {
  issuer: string;
  audience: string[];
  algorithms: VerifierAlgorithm[];
  jwksUri: URL;
  clockToleranceSeconds: number;
  strict: null | {
    feedUrl: URL;
    clientId: string;
    clientSecret: string;
    maxStalenessSeconds: number;
    startupWaitSeconds: number;
    onStatus: ((status: FeedStatus) => void) | undefined;
  };
  fetch: typeof fetch;
  clock: Clock;
  logger: VerifierLogger;
  jwksCacheMaxAgeSeconds: number;
  jwksCooldownSeconds: number;
  jwksTimeoutSeconds: number;
}

export const REVOCATIONS_PATH = '/auth/v1/revocations';

const systemClock: Clock = { now: () => Date.now() / 1000 };

/** @throws TypeError naming every invalid option. */
export function resolveOptions(options: VerifierOptions): ResolvedOptions {
  const problems: string[] = [];
  const issuer = parseHttpsUrl(options?.issuer, 'issuer', problems);
  const jwksUri =
    options.jwksUri === undefined
      ? issuer && new URL(`${issuer}/.well-known/jwks.json`)
      : parseHttpsUrl(options.jwksUri, 'jwksUri', problems) && new URL(options.jwksUri);

  const audience = typeof options.audience === 'string' ? [options.audience] : options.audience;
  if (
    !Array.isArray(audience) ||
    audience.length === 0 ||
    !audience.every((a) => typeof a === 'string' && a !== '')
  ) {
    problems.push('audience must be a non-empty string or a non-empty array of them');
  }

  const algorithms = options.algorithms ?? ['ES256'];
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    problems.push('algorithms must be a non-empty array');
  } else {
    for (const alg of algorithms) {
      if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg)) {
        problems.push(
          `algorithms: ${JSON.stringify(alg)} is not allowed (only ${ASYMMETRIC_ALGORITHMS.join(', ')}; never none or HS*)`,
        );
      }
    }
  }

  const clockToleranceSeconds = integerOption(
    options.clockToleranceSeconds,
    30,
    0,
    MAX_VERIFIER_LEEWAY_SECONDS,
    'clockToleranceSeconds',
    problems,
    'more than 60 s would accept tokens of keys the server has already retired (DESIGN §7)',
  );
  const jwksCacheMaxAgeSeconds = integerOption(
    options.jwksCacheMaxAgeSeconds,
    JWKS_CACHE_SECONDS,
    1,
    JWKS_CACHE_SECONDS,
    'jwksCacheMaxAgeSeconds',
    problems,
    'the server signs with a new key 300 s after publishing it; a longer cache misses it',
  );
  const jwksCooldownSeconds = integerOption(
    options.jwksCooldownSeconds,
    30,
    1,
    300,
    'jwksCooldownSeconds',
    problems,
  );
  const jwksTimeoutSeconds = integerOption(
    options.jwksTimeoutSeconds,
    5,
    1,
    30,
    'jwksTimeoutSeconds',
    problems,
  );

  let strict: ResolvedOptions['strict'] = null;
  if (options.strict !== undefined && options.strict !== false) {
    const s = options.strict;
    if (typeof s !== 'object' || s === null) {
      problems.push('strict must be false or { clientId, clientSecret, … }');
    } else {
      if (typeof s.clientId !== 'string' || s.clientId === '')
        problems.push('strict.clientId must be a non-empty string');
      if (typeof s.clientSecret !== 'string' || s.clientSecret === '')
        problems.push('strict.clientSecret must be a non-empty string');
      if (s.onStatus !== undefined && typeof s.onStatus !== 'function')
        problems.push('strict.onStatus must be a function');
      const maxStalenessSeconds = integerOption(
        s.maxStalenessSeconds,
        30,
        10,
        3600,
        'strict.maxStalenessSeconds',
        problems,
        'the feed ticks every 5 s; less than two ticks would flap',
      );
      const startupWaitSeconds = integerOption(
        s.startupWaitSeconds,
        5,
        0,
        30,
        'strict.startupWaitSeconds',
        problems,
      );
      if (issuer) {
        strict = {
          feedUrl: new URL(`${issuer}${REVOCATIONS_PATH}`),
          clientId: s.clientId,
          clientSecret: s.clientSecret,
          maxStalenessSeconds,
          startupWaitSeconds,
          onStatus: s.onStatus,
        };
      }
    }
  }

  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') problems.push('fetch must be a function');
  const clock = options.clock ?? systemClock;
  if (typeof clock?.now !== 'function') problems.push('clock must have now()');
  const logger = options.logger ?? console;

  if (problems.length > 0 || !issuer || !jwksUri) {
    throw new TypeError(`createVerifier: ${problems.join('; ')}.`);
  }
  return Object.freeze({
    issuer,
    audience: [...(audience as string[])],
    algorithms: [...algorithms],
    jwksUri,
    clockToleranceSeconds,
    strict,
    fetch: fetchImpl,
    clock,
    logger,
    jwksCacheMaxAgeSeconds,
    jwksCooldownSeconds,
    jwksTimeoutSeconds,
  });
}

/**
 * An absolute http(s) URL without credentials, query or fragment; https unless the host is a
 * loopback address (security.md MW-02: keys only over an authenticated channel). Returned without
 * its trailing slashes, as the server writes its issuer.
 */
function parseHttpsUrl(value: unknown, name: string, problems: string[]): string | null {
  if (typeof value !== 'string') {
    problems.push(`${name} must be a URL string`);
    return null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} must be an absolute URL`);
    return null;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    problems.push(`${name} must use https (http only for localhost, 127.0.0.1 or ::1)`);
    return null;
  }
  if (url.username !== '' || url.password !== '' || value.includes('?') || value.includes('#')) {
    problems.push(`${name} must not contain credentials, a query or a fragment`);
    return null;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function integerOption(
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  name: string,
  problems: string[],
  why?: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}${why ? ` (${why})` : ''}`);
    return fallback;
  }
  return value;
}
