/**
 * What the console shows about one user beyond the record (DESIGN §3.3): the tenants they belong to
 * with their roles, and the session policy in force for them — computed by the engine's own
 * `memberPolicies`, the function every refresh and the lapse sweep decide by, never re-derived.
 */
import {
  memberPolicies,
  type SessionPolicy,
  type TenantPolicyOverride,
  type UserPolicy,
} from '../../engine/policy.js';
import type { ServiceDeps } from '../deps.js';
import { requireEnvironment, requireUser } from './lookups.js';
import { type UserView, userView } from './users.js';

export interface UserMembershipSummary {
  tenantId: string;
  tenantName: string;
  roles: string[];
}

export interface UserDetailView extends UserView {
  /** Oldest first. */
  memberships: UserMembershipSummary[];
}

export interface TenantPolicyView {
  tenantId: string;
  tenantName: string;
  /** The tenant's own overrides; an absent field inherits the environment's value. */
  overrides: TenantPolicyOverride;
  /** In force for the user's sessions in this tenant (the idle timeout applies per tenant). */
  policy: SessionPolicy;
}

export interface EffectivePolicyView {
  environment: SessionPolicy;
  /**
   * Across all the user's tenants (the environment's with none): the strictest absolute timeout and
   * session limit, `reject` winning at the strictest limit.
   */
  strictest: UserPolicy;
  /** The per-tenant values the strictest comes from, in membership order. */
  tenants: TenantPolicyView[];
}

export async function getUserDetail(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<UserDetailView> {
  const user = await requireUser(deps, envId, userId);
  const memberships = await deps.storage.listUserMemberships(envId, userId);
  return {
    ...userView(user),
    memberships: memberships.map(({ tenantId, tenantName, roles }) => ({ tenantId, tenantName, roles })),
  };
}

export async function getEffectivePolicy(
  deps: ServiceDeps,
  envId: string,
  userId: string,
): Promise<EffectivePolicyView> {
  const [environment] = await Promise.all([
    requireEnvironment(deps, envId),
    requireUser(deps, envId, userId),
  ]);
  const memberships = await deps.storage.listUserMemberships(envId, userId);
  const policies = memberPolicies(environment.sessionPolicy, memberships);
  return {
    environment: environment.sessionPolicy,
    strictest: policies.user,
    tenants: memberships.map((membership, index) => ({
      tenantId: membership.tenantId,
      tenantName: membership.tenantName,
      overrides: membership.policy,
      // memberPolicies answers one policy per membership, in the same order.
      policy: policies.tenants[index] as SessionPolicy,
    })),
  };
}
