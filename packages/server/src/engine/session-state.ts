/**
 * Whether a session is still alive at `now`, by the rules of DESIGN §2. Boundaries: a limit of
 * N seconds ends the session at exactly N seconds (299 s alive, 300 s ended).
 */
import type { SessionPolicy, UserPolicy } from './policy.js';
import type { EndReason, SessionRecord } from './records.js';

/** Why a session that has not been marked ended is nevertheless over. */
export type LapseReason = Extract<EndReason, 'idle_timeout' | 'relogin_required' | 'session_expired'>;

/** The policies a session's liveness is judged by. */
export interface LapsePolicies {
  user: UserPolicy;
  /** The policy of each of the user's tenants (the environment's when the user has none). */
  tenants: readonly SessionPolicy[];
  refreshTokenTtlSeconds: number;
}

/** The absolute end of a session under the user's policy, or `null` when there is none. */
export function absoluteEnd(session: Pick<SessionRecord, 'createdAt'>, policy: UserPolicy): number | null {
  return policy.absoluteTimeoutSeconds === null ? null : session.createdAt + policy.absoluteTimeoutSeconds;
}

/**
 * When a refresh token issued at `issuedAt` expires: after its lifetime, but never past the
 * session's absolute end (SES-09: a rotation never extends the session).
 */
export function refreshTokenExpiry(
  session: Pick<SessionRecord, 'createdAt'>,
  policy: UserPolicy,
  refreshTokenTtlSeconds: number,
  issuedAt: number,
): number {
  const end = absoluteEnd(session, policy);
  const ttlEnd = issuedAt + refreshTokenTtlSeconds;
  return end === null ? ttlEnd : Math.min(ttlEnd, end);
}

export function isPastAbsoluteEnd(session: SessionRecord, policy: UserPolicy, now: number): boolean {
  const end = absoluteEnd(session, policy);
  return end !== null && now >= end;
}

/** Idle is judged by user activity only (a background refresh does not count). */
export function isIdle(session: SessionRecord, idleTimeoutSeconds: number | null, now: number): boolean {
  return idleTimeoutSeconds !== null && now >= session.lastActiveAt + idleTimeoutSeconds;
}

/**
 * For a session not marked ended: has it lapsed for every tenant it could ask for? The absolute
 * end applies to all; so does the lifetime of its current refresh token, issued at its last
 * refresh; the idle timeout is per tenant, so the session is idle everywhere only when it is idle
 * under the most lenient tenant policy.
 */
export function lapseReason(
  session: SessionRecord,
  policies: LapsePolicies,
  now: number,
): LapseReason | null {
  if (isPastAbsoluteEnd(session, policies.user, now)) return 'relogin_required';
  if (now >= session.lastRefreshAt + policies.refreshTokenTtlSeconds) return 'session_expired';
  const { tenants } = policies;
  if (tenants.length > 0 && tenants.every((p) => isIdle(session, p.idleTimeoutSeconds, now))) {
    return 'idle_timeout';
  }
  return null;
}
