/**
 * Login throttling (security checklist AUTH-01..AUTH-04): stops password guessing against one
 * account and password spraying from one address, without locking out a team that shares a NAT.
 */

/**
 * The numbers, in one place, that the login throttle enforces. Only failed logins count; a window
 * opens at the first failure and closes `windowSeconds` later, whatever happens in between (a
 * fixed window, so a lock always ends on time — AUTH-04: a lock can be imposed by anyone who knows
 * an email, so it must be temporary and self-recovering).
 *
 * - Per account: {@link LOGIN_THROTTLE_POLICY.maxFailuresPerAccount} failures in a window lock the
 *   account's logins, from any address, for the rest of the window (AUTH-02, credential stuffing
 *   from many IPs). It counts whether or not the account exists, so the throttle reveals nothing.
 *   A successful login clears the account's count.
 * - Per client address: {@link LOGIN_THROTTLE_POLICY.maxFailuresPerIp} failures in a window lock
 *   logins from that address (AUTH-03, one address trying one password on many accounts). Fifty
 *   colleagues behind one NAT who each mistype once use half of it. A success does not clear it:
 *   a sprayer who knows one valid login must not be able to reset the count. IPv6 addresses count
 *   per /64, the block one subscriber usually holds.
 * - In flight: an attempt that passed `check` and awaits its password verification counts against
 *   both limits until it is recorded (or after `pendingAttemptTtlSeconds`, if it never is). Without
 *   this, a burst of parallel requests would all pass `check` before the first failure is recorded
 *   and so try far more than the limit.
 */
export const LOGIN_THROTTLE_POLICY = Object.freeze({
  windowSeconds: 15 * 60,
  maxFailuresPerAccount: 10,
  maxFailuresPerIp: 100,
  pendingAttemptTtlSeconds: 30,
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
  /** The password was wrong (or the account unknown): counts against the account and the address. */
  recordFailure(key: ThrottleKey): Promise<void>;
  /** The password was right: clears the account's failures (not the address's). */
  recordSuccess(key: ThrottleKey): Promise<void>;
}
