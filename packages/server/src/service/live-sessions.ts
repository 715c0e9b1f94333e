import { tenantPolicy, userPolicy } from '../engine/policy.js';
import type { MembershipView, SessionRecord } from '../engine/records.js';
import { type LapsePolicies, lapseReason } from '../engine/session-state.js';
import type { EnvironmentRecord } from '../storage/port.js';
import type { ServiceDeps } from './deps.js';

/**
 * A user's sessions that are alive now: not ended, and not lapsed by the policies in force
 * (SES-18: expiry is judged when read, not only by a cleanup job).
 */
export async function liveSessionsOf(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<SessionRecord[]> {
  const [environment, memberships, sessions] = await Promise.all([
    deps.storage.getEnvironment(envId),
    deps.storage.listUserMemberships(envId, userId),
    deps.storage.listLiveSessions(envId, userId),
  ]);
  if (!environment) return [];
  const policies = lapsePoliciesFor(environment, memberships);
  const now = deps.clock.now();
  return sessions.filter((s) => lapseReason(s, policies, now) === null);
}

/** The policies a user's sessions are judged by: the environment's, overridden per tenant. */
export function lapsePoliciesFor(
  environment: EnvironmentRecord,
  memberships: readonly MembershipView[],
): LapsePolicies {
  const envPolicy = environment.sessionPolicy;
  return {
    user: userPolicy(
      envPolicy,
      memberships.map((m) => m.policy),
    ),
    tenants: memberships.map((m) => tenantPolicy(envPolicy, m.policy)),
    refreshTokenTtlSeconds: environment.tokenSettings.refreshTokenTtlSeconds,
  };
}
