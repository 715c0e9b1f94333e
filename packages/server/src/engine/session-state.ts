/**
 * Whether a session is still alive at `now`, by the rules of DESIGN §2. Boundaries: a limit of
 * N seconds ends the session at exactly N seconds (299 s alive, 300 s ended).
 */
import type { SessionPolicy, UserPolicy } from './policy.js';
import type { EndReason, SessionRecord } from './records.js';

/** Why a session that has not been marked ended is nevertheless over. */
export type LapseReason = Extract<EndReason, 'idle_timeout' | 'relogin_required'>;

/** The absolute end of a session under the user's policy, or `null` when there is none. */
export function absoluteEnd(session: SessionRecord, policy: UserPolicy): number | null {
  return policy.absoluteTimeoutSeconds === null ? null : session.createdAt + policy.absoluteTimeoutSeconds;
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
 * end applies to all; the idle timeout is per tenant, so the session is idle everywhere only when
 * it is idle under the most lenient tenant policy.
 */
export function lapseReason(
  session: SessionRecord,
  userPolicy: UserPolicy,
  tenantPolicies: readonly SessionPolicy[],
  now: number,
): LapseReason | null {
  if (isPastAbsoluteEnd(session, userPolicy, now)) return 'relogin_required';
  if (tenantPolicies.length > 0 && tenantPolicies.every((p) => isIdle(session, p.idleTimeoutSeconds, now))) {
    return 'idle_timeout';
  }
  return null;
}
