import type { MembershipView } from './records.js';

export type TenantResolution = { kind: 'resolved'; membership: MembershipView } | { kind: 'forbidden' };

/**
 * The tenant a token is issued for: the one asked for, which must be one of the user's
 * memberships (never taken from the client unverified, TEN-02); else the session's default
 * tenant while the user is still a member; else the user's oldest membership.
 */
export function resolveTenant(
  memberships: readonly MembershipView[],
  requestedTenantId: string | undefined,
  defaultTenantId: string | null,
): TenantResolution {
  if (requestedTenantId !== undefined) {
    const requested = memberships.find((m) => m.tenantId === requestedTenantId);
    return requested ? { kind: 'resolved', membership: requested } : { kind: 'forbidden' };
  }
  const fallback = memberships.find((m) => m.tenantId === defaultTenantId) ?? memberships[0];
  return fallback ? { kind: 'resolved', membership: fallback } : { kind: 'forbidden' };
}
