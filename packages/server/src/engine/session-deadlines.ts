/**
 * When a live session lapses, as an operator reads it: the idle deadline under the policy of the
 * tenant a refresh would resolve by default, and the absolute end under the user's strictest
 * policy — the same policies `decideRefresh` applies (DESIGN §2). Pure; epoch seconds.
 */
import { memberPolicies, type SessionPolicy, tenantPolicy } from './policy.js';
import type { MembershipView, SessionRecord } from './records.js';
import { absoluteEnd } from './session-state.js';
import { resolveTenant } from './tenant.js';

export interface SessionDeadlines {
  /** `lastActiveAt` plus the idle timeout in force; `null` when there is none. */
  idleExpiresAt: number | null;
  /** `createdAt` plus the strictest absolute timeout; `null` when there is none. */
  absoluteExpiresAt: number | null;
}

export function sessionDeadlines(
  session: Pick<SessionRecord, 'createdAt' | 'lastActiveAt' | 'defaultTenantId'>,
  environmentPolicy: SessionPolicy,
  memberships: readonly MembershipView[],
): SessionDeadlines {
  const tenant = resolveTenant(memberships, undefined, session.defaultTenantId);
  // With no tenant to resolve, a refresh is refused anyway; the environment's policy is the one shown.
  const idlePolicy =
    tenant.kind === 'resolved'
      ? tenantPolicy(environmentPolicy, tenant.membership.policy)
      : environmentPolicy;
  const idle = idlePolicy.idleTimeoutSeconds;
  return {
    idleExpiresAt: idle === null ? null : session.lastActiveAt + idle,
    absoluteExpiresAt: absoluteEnd(session, memberPolicies(environmentPolicy, memberships).user),
  };
}
