/**
 * Session policy (DESIGN §2), and how the policies of an environment and of a user's tenants
 * combine. Pure.
 */
import type { LapsePolicies } from './session-state.js';

/** What a login at the session limit does (DESIGN §2). */
export const ON_LIMIT_VALUES = ['evict_oldest', 'reject'] as const;
export type OnLimit = (typeof ON_LIMIT_VALUES)[number];

/** An environment's session policy. `null` turns a limit off. */
export interface SessionPolicy {
  idleTimeoutSeconds: number | null;
  absoluteTimeoutSeconds: number | null;
  maxConcurrentSessions: number | null;
  onLimit: OnLimit;
}

/** A tenant's overrides: an absent field inherits the environment's value. */
export type TenantPolicyOverride = Partial<SessionPolicy>;

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({
  idleTimeoutSeconds: null,
  absoluteTimeoutSeconds: null,
  maxConcurrentSessions: null,
  onLimit: 'evict_oldest',
});

/** The policy in force for one tenant: its overrides over the environment's policy. */
export function tenantPolicy(environment: SessionPolicy, override: TenantPolicyOverride): SessionPolicy {
  return {
    idleTimeoutSeconds: pick(override.idleTimeoutSeconds, environment.idleTimeoutSeconds),
    absoluteTimeoutSeconds: pick(override.absoluteTimeoutSeconds, environment.absoluteTimeoutSeconds),
    maxConcurrentSessions: pick(override.maxConcurrentSessions, environment.maxConcurrentSessions),
    onLimit: override.onLimit ?? environment.onLimit,
  };
}

function pick(override: number | null | undefined, inherited: number | null): number | null {
  return override === undefined || override === null ? inherited : override;
}

/** The smallest of the limits that are on; `null` when every one is off. */
export function strictest(values: readonly (number | null)[]): number | null {
  let result: number | null = null;
  for (const value of values) {
    if (value !== null && (result === null || value < result)) result = value;
  }
  return result;
}

/**
 * The policy that governs a user across all their tenants (DESIGN §2): the strictest absolute
 * timeout and session limit. With no tenant, the environment's policy applies. At the strictest
 * limit, `reject` wins over `evict_oldest`.
 */
export interface UserPolicy {
  absoluteTimeoutSeconds: number | null;
  maxConcurrentSessions: number | null;
  onLimit: OnLimit;
}

export function userPolicy(
  environment: SessionPolicy,
  tenantOverrides: readonly TenantPolicyOverride[],
): UserPolicy {
  const policies =
    tenantOverrides.length === 0 ? [environment] : tenantOverrides.map((o) => tenantPolicy(environment, o));
  const maxConcurrentSessions = strictest(policies.map((p) => p.maxConcurrentSessions));
  const atLimit = policies.filter((p) => p.maxConcurrentSessions === maxConcurrentSessions);
  return {
    absoluteTimeoutSeconds: strictest(policies.map((p) => p.absoluteTimeoutSeconds)),
    maxConcurrentSessions,
    onLimit: atLimit.some((p) => p.onLimit === 'reject') ? 'reject' : 'evict_oldest',
  };
}

/** Anything that carries a tenant's overrides: a membership, as read with the user. */
export interface TenantPolicyCarrier {
  policy: TenantPolicyOverride;
}

/** The policies in force for a user: across all their tenants, and in each (membership order). */
export interface MemberPolicies {
  user: UserPolicy;
  tenants: SessionPolicy[];
}

export function memberPolicies(
  environment: SessionPolicy,
  memberships: readonly TenantPolicyCarrier[],
): MemberPolicies {
  const overrides = memberships.map((m) => m.policy);
  return {
    user: userPolicy(environment, overrides),
    tenants: overrides.map((o) => tenantPolicy(environment, o)),
  };
}

/** The policies a user's sessions are judged by when read or swept (SES-18). */
export function lapsePolicies(
  environment: { sessionPolicy: SessionPolicy; tokenSettings: { refreshTokenTtlSeconds: number } },
  memberships: readonly TenantPolicyCarrier[],
): LapsePolicies {
  return {
    ...memberPolicies(environment.sessionPolicy, memberships),
    refreshTokenTtlSeconds: environment.tokenSettings.refreshTokenTtlSeconds,
  };
}

/**
 * The shortest idle and absolute timeouts in force anywhere in an environment — its own policy and
 * every tenant's — so no session there lapses sooner than these allow; `null` when a limit is off
 * everywhere.
 */
export function shortestTimeouts(
  environment: SessionPolicy,
  tenantOverrides: readonly TenantPolicyOverride[],
): Pick<SessionPolicy, 'idleTimeoutSeconds' | 'absoluteTimeoutSeconds'> {
  const policies = [environment, ...tenantOverrides.map((o) => tenantPolicy(environment, o))];
  return {
    idleTimeoutSeconds: strictest(policies.map((p) => p.idleTimeoutSeconds)),
    absoluteTimeoutSeconds: strictest(policies.map((p) => p.absoluteTimeoutSeconds)),
  };
}
