/**
 * The rules an environment's token settings and session policy obey (DESIGN §2), shared by the
 * start-up defaults (`load-config.ts`) and the admin API, so neither can create what the other
 * would refuse.
 */
import { MAX_ACCESS_TOKEN_TTL_SECONDS, SIGNING_ALGORITHMS } from '@tessera/protocol';
import { ON_LIMIT_VALUES, type SessionPolicy } from '../engine/policy.js';
import { isPlainHttpLoopbackUrl } from './loopback.js';
import { SAME_SITE_VALUES, type TokenSettings } from './token-settings.js';

/**
 * Bounds on token lifetimes. An access token cannot be revoked, only expire, so a day is the
 * longest it may live; under 10 s, clients would spend their time refreshing (10 s suits tests and demos of background refresh). The rotation grace
 * window (DESIGN §4) only has to cover racing tabs and a retried request; past a minute it would
 * mostly widen the window in which a stolen token goes unnoticed.
 */
export const TOKEN_SETTINGS_LIMITS = Object.freeze({
  accessTokenTtlSeconds: Object.freeze({ min: 10, max: MAX_ACCESS_TOKEN_TTL_SECONDS }),
  rotationGraceSeconds: Object.freeze({ min: 0, max: 60 }),
});

// RFC 6265 §4.1.1: a cookie name is an RFC 2616 token.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,128}$/;
const COOKIE_PREFIX = /^__(host|secure)-/i;

export interface TokenSettingsContext {
  /** The environment's base URL: whether it is plain-http localhost decides if `secure` may be off. */
  baseUrl: string;
}

/**
 * Every problem with a complete set of token settings, as messages naming the field; empty when
 * the settings are valid. For a partial update, validate the merged result: the cross-field rules
 * (refresh outlives access, `SameSite=None` needs `Secure`) need both values.
 *
 * @example
 * const problems = validateTokenSettings({ ...current, ...patch }, { baseUrl });
 * if (problems.length > 0) throw new TesseraError('invalid_request', { message: problems.join('; ') });
 */
export function validateTokenSettings(settings: TokenSettings, context: TokenSettingsContext): string[] {
  const problems: string[] = [];
  const { accessTokenTtlSeconds: access, rotationGraceSeconds: grace } = TOKEN_SETTINGS_LIMITS;
  if (!isIntegerBetween(settings.accessTokenTtlSeconds, access.min, access.max)) {
    problems.push(`accessTokenTtlSeconds must be an integer from ${access.min} to ${access.max}`);
  }
  if (!isIntegerBetween(settings.refreshTokenTtlSeconds, 1, Number.MAX_SAFE_INTEGER)) {
    problems.push('refreshTokenTtlSeconds must be a positive integer');
  } else if (settings.refreshTokenTtlSeconds <= settings.accessTokenTtlSeconds) {
    problems.push('refreshTokenTtlSeconds must be greater than accessTokenTtlSeconds');
  }
  if (!isIntegerBetween(settings.rotationGraceSeconds, grace.min, grace.max)) {
    problems.push(`rotationGraceSeconds must be an integer from ${grace.min} to ${grace.max}`);
  }
  if (!SIGNING_ALGORITHMS.includes(settings.signingAlgorithm)) {
    problems.push(`signingAlgorithm must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  }
  const { cookie } = settings;
  if (typeof cookie.name !== 'string' || !COOKIE_NAME.test(cookie.name) || COOKIE_PREFIX.test(cookie.name)) {
    problems.push(
      'cookie.name must be 1 to 128 cookie-name characters, without a __Host- or __Secure- prefix (added when secure)',
    );
  }
  if (!SAME_SITE_VALUES.includes(cookie.sameSite)) {
    problems.push(`cookie.sameSite must be one of ${SAME_SITE_VALUES.join(', ')}`);
  }
  if (typeof cookie.secure !== 'boolean') {
    problems.push('cookie.secure must be true or false');
  } else if (!cookie.secure) {
    // Browsers reject SameSite=None without Secure, and a non-Secure refresh cookie would travel
    // in clear text anywhere but on this machine.
    if (cookie.sameSite === 'none') problems.push('cookie.sameSite "none" requires cookie.secure');
    if (!isPlainHttpLoopbackUrl(context.baseUrl)) {
      problems.push(
        "cookie.secure may be false only when the environment's base URL is plain http on localhost, 127.0.0.1 or ::1",
      );
    }
  }
  return problems;
}

/**
 * Every problem with the fields present in a session policy (an environment's, or a tenant's
 * partial override, where `null` turns a limit off); empty when they are valid.
 *
 * An absolute timeout shorter than the idle timeout is deliberately allowed: the absolute one
 * simply ends the session first, which is coherent. Requiring `absolute ≥ idle` would also make a
 * tenant's override valid or not depending on the environment's other field. And the pair in force
 * for a session is assembled from different policies (the strictest absolute timeout across the
 * user's tenants, the idle timeout of the tenant asked for), so a rule on one policy would not
 * hold for it anyway.
 *
 * @example
 * validateSessionPolicy({ idleTimeoutSeconds: 0 }) // ['idleTimeoutSeconds must be a positive integer or null']
 */
export function validateSessionPolicy(policy: Partial<SessionPolicy>): string[] {
  const problems: string[] = [];
  for (const field of ['idleTimeoutSeconds', 'absoluteTimeoutSeconds', 'maxConcurrentSessions'] as const) {
    const value = policy[field];
    if (value !== undefined && value !== null && !isIntegerBetween(value, 1, Number.MAX_SAFE_INTEGER)) {
      problems.push(`${field} must be a positive integer or null`);
    }
  }
  if (policy.onLimit !== undefined && !ON_LIMIT_VALUES.includes(policy.onLimit)) {
    problems.push(`onLimit must be one of ${ON_LIMIT_VALUES.join(', ')}`);
  }
  return problems;
}

function isIntegerBetween(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
