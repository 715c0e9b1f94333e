/** When to refresh, and how long to wait after a failure. Pure: time and randomness are inputs. */

/**
 * Milliseconds after receipt to refresh a token valid for `expiresInSeconds`: 75–85 % of its
 * lifetime (about 80 %, with jitter so tabs and browsers do not refresh in lockstep).
 *
 * @example
 * refreshDelayMs(300, 0.5) // 240000
 */
export function refreshDelayMs(expiresInSeconds: number, random: number): number {
  return expiresInSeconds * 1000 * (0.75 + 0.1 * random);
}

/** The first retry waits about this long; each next one twice as long, up to {@link MAX_BACKOFF_MS}. */
export const FIRST_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 30_000;

/**
 * The wait before retry number `attempt` (0-based) after a transient failure: exponential, capped,
 * with "equal jitter" (half fixed, half random) so a server coming back is not hit by every tab at once.
 *
 * @example
 * backoffDelayMs(0, 0) // 500;  backoffDelayMs(10, 1) // 30000
 */
export function backoffDelayMs(attempt: number, random: number): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** attempt);
  return ceiling / 2 + (ceiling / 2) * random;
}

/**
 * How much validity `getAccessToken` wants left before it hands a token out without refreshing:
 * 30 s, or a fifth of a short token's lifetime.
 */
export function minimumValidityMs(expiresInSeconds: number): number {
  return Math.min(30_000, expiresInSeconds * 200);
}
