/**
 * The session policy in force, as the server's engine computes it (packages/server/src/engine/
 * policy.ts, DESIGN §2): a tenant's overrides over the environment's policy, and across a user's
 * tenants the strictest absolute timeout and session limit (`reject` wins at the strictest limit).
 */
import type { OnLimit, SessionPolicy, TenantPolicy } from './types';

export function effectiveTenantPolicy(environment: SessionPolicy, override: TenantPolicy): SessionPolicy {
  return {
    idleTimeoutSeconds: override.idleTimeoutSeconds ?? environment.idleTimeoutSeconds,
    absoluteTimeoutSeconds: override.absoluteTimeoutSeconds ?? environment.absoluteTimeoutSeconds,
    maxConcurrentSessions: override.maxConcurrentSessions ?? environment.maxConcurrentSessions,
    onLimit: override.onLimit ?? environment.onLimit,
  };
}

/** The smallest limit that is on; null when all are off. */
export function strictest(values: readonly (number | null)[]): number | null {
  let result: number | null = null;
  for (const value of values) if (value !== null && (result === null || value < result)) result = value;
  return result;
}

export interface UserPolicy {
  absoluteTimeoutSeconds: number | null;
  maxConcurrentSessions: number | null;
  onLimit: OnLimit;
}

/** The policy across all of a user's tenants; with no tenant, the environment's. */
export function effectiveUserPolicy(
  environment: SessionPolicy,
  overrides: readonly TenantPolicy[],
): UserPolicy {
  const policies =
    overrides.length === 0
      ? [environment]
      : overrides.map((override) => effectiveTenantPolicy(environment, override));
  const maxConcurrentSessions = strictest(policies.map((policy) => policy.maxConcurrentSessions));
  const atLimit = policies.filter((policy) => policy.maxConcurrentSessions === maxConcurrentSessions);
  return {
    absoluteTimeoutSeconds: strictest(policies.map((policy) => policy.absoluteTimeoutSeconds)),
    maxConcurrentSessions,
    onLimit: atLimit.some((policy) => policy.onLimit === 'reject') ? 'reject' : 'evict_oldest',
  };
}
