/**
 * Login throttling (security checklist AUTH-01..AUTH-04): stops password guessing against one
 * account and password spraying from one address, without locking out a team that shares a NAT.
 */

/**
 * The numbers, in one place, that the login throttle enforces. Only failed logins count; a window
 * opens at the first failure and closes `windowSeconds` later, whatever happens in between (a
 * fixed window, so a lock always ends on time — AUTH-04).
 *
 * A per-account lock that anyone can trigger is a switch that locks the real user out (issue #9).
 * So the account's attempts are split by where they come from (OWASP's device cookies; Azure AD's
 * familiar and unfamiliar locations; Auth0 per user and address):
 *
 * - Known sources. A browser whose device cookie completed a successful login to the account
 *   within `knownSourceTtlSeconds` (a known device), else an address (IPv6: its /64) that did (a
 *   known address), counts its failures in a budget of its own:
 *   {@link LOGIN_THROTTLE_POLICY.maxFailuresPerKnownSource} per window. Guessing from elsewhere
 *   never touches it, so the user on their own device still gets in during an attack, and a known
 *   device that guesses wrong is throttled like anyone. A device counts before the address it
 *   comes from, so an attacker behind the user's own NAT cannot lock the user's browser either.
 * - Unknown sources. Every other attempt on the account shares one budget,
 *   {@link LOGIN_THROTTLE_POLICY.maxFailuresPerAccount} per window, from any address (AUTH-02,
 *   credential stuffing from many IPs). It counts whether or not the account exists, so the
 *   throttle reveals nothing; a source becomes known only by a successful login.
 * - Per client address: {@link LOGIN_THROTTLE_POLICY.maxFailuresPerIp} failures in a window lock
 *   logins from that address, whatever the source (AUTH-03, one address trying one password on many
 *   accounts). Fifty colleagues behind one NAT who each mistype once use half of it. A success does
 *   not clear it: a sprayer who knows one valid login must not be able to reset the count.
 * - A success clears the failures of the budget it was counted in (not the address's), and makes
 *   its device and its address known for the account (again) for `knownSourceTtlSeconds`.
 * - In flight: an attempt that passed `check` and awaits its password verification counts against
 *   its budgets until it is recorded (or after `pendingAttemptTtlSeconds`, if it never is). Without
 *   this, a burst of parallel requests would all pass `check` before the first failure is recorded
 *   and so try far more than the limit.
 */
export const LOGIN_THROTTLE_POLICY = Object.freeze({
  windowSeconds: 15 * 60,
  maxFailuresPerAccount: 10,
  maxFailuresPerKnownSource: 10,
  maxFailuresPerIp: 100,
  pendingAttemptTtlSeconds: 30,
  knownSourceTtlSeconds: 30 * 86_400,
});

export type LoginThrottlePolicy = typeof LOGIN_THROTTLE_POLICY;

/** Who is trying to log in. */
export interface ThrottleKey {
  /**
   * An opaque key for the account tried, whether or not it exists — built from the normalized
   * email (and the environment), so that `Ada@…` and `ada@…` share one count.
   */
  account: string;
  /** The client address, taken only from trusted proxies (AUTH-05). */
  ip: string;
  /**
   * An opaque id of the browser's device cookie (a hash of it, never the cookie itself), when it
   * sent one. Whether it is a known device of the account is the throttle's to tell.
   */
  device?: string | undefined;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The login throttle. Use it as `check` → verify the password → exactly one of `recordFailure` or
 * `recordSuccess`: an allowed `check` reserves a slot for the attempt, which the record releases.
 * A refused `check` reserves nothing and needs no record.
 */
export interface LoginThrottle {
  /** Whether this attempt may proceed; when it may, the attempt counts as in flight. */
  check(key: ThrottleKey): Promise<ThrottleVerdict>;
  /** The password was wrong (or the account unknown): counts against its budget and the address. */
  recordFailure(key: ThrottleKey): Promise<void>;
  /**
   * The password was right: clears the failures of the budget the attempt counted in (not the
   * address's), and makes the device and the address known sources of the account.
   */
  recordSuccess(key: ThrottleKey): Promise<void>;
}
