/**
 * A user's memberships and the session policy in force for them. The server gives both (`GET
 * …/users/{userId}` lists `memberships`, `GET …/users/{userId}/effective-policy`); against a
 * server without them, the console reads every tenant's members and computes the policy as the
 * engine does (policy.ts).
 */
import { ApiError, admin, adminPage, seg } from './api';
import { envPath } from './environment';
import { effectiveTenantPolicy, effectiveUserPolicy, type UserPolicy } from './policy';
import type { Membership, SessionPolicy, Tenant, TenantPolicy, User } from './types';

const MAX_PAGES = 20;

export async function listAllTenants(envId: string, signal?: AbortSignal): Promise<Tenant[]> {
  const tenants: Tenant[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const result = await adminPage<Tenant>(envPath(envId, `/tenants?limit=100${suffix}`), signal);
    tenants.push(...result.items);
    cursor = result.nextCursor;
    if (cursor === null) break;
  }
  return tenants;
}

export interface UserMembership {
  tenantId: string;
  tenantName: string;
  roles: string[];
}

const options = (signal?: AbortSignal) => (signal ? { signal } : {});
const missingRoute = (error: unknown) =>
  error instanceof ApiError && (error.status === 404 || error.status === 405);

/** The user's tenants and roles, oldest membership first. */
export async function userMemberships(
  envId: string,
  user: User & { memberships?: UserMembership[] },
  tenants: Tenant[],
  signal?: AbortSignal,
): Promise<UserMembership[]> {
  if (Array.isArray(user.memberships)) return user.memberships;
  const members = await Promise.all(
    tenants.map((tenant) =>
      admin<Membership[]>(envPath(envId, `/tenants/${seg(tenant.id)}/members`), options(signal)),
    ),
  );
  return members
    .flat()
    .filter((membership) => membership.userId === user.id)
    .map((membership) => ({
      tenantId: membership.tenantId,
      tenantName: tenants.find((tenant) => tenant.id === membership.tenantId)?.name ?? membership.tenantId,
      roles: membership.roles,
    }));
}

export interface EffectivePolicy {
  strictest: UserPolicy;
  tenants: { tenantId: string; policy: SessionPolicy }[];
}

/** The policy in force for the user: the server's answer, else computed from the same inputs. */
export async function userEffectivePolicy(
  envId: string,
  userId: string,
  fallback: { environment: SessionPolicy; memberships: UserMembership[]; tenants: Tenant[] },
  signal?: AbortSignal,
): Promise<EffectivePolicy> {
  try {
    return await admin<EffectivePolicy>(
      envPath(envId, `/users/${seg(userId)}/effective-policy`),
      options(signal),
    );
  } catch (error) {
    if (!missingRoute(error)) throw error;
  }
  const overrides = (tenantId: string): TenantPolicy =>
    fallback.tenants.find((tenant) => tenant.id === tenantId)?.sessionPolicy ?? {};
  return {
    strictest: effectiveUserPolicy(
      fallback.environment,
      fallback.memberships.map((membership) => overrides(membership.tenantId)),
    ),
    tenants: fallback.memberships.map((membership) => ({
      tenantId: membership.tenantId,
      policy: effectiveTenantPolicy(fallback.environment, overrides(membership.tenantId)),
    })),
  };
}
