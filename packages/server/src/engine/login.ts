/**
 * Login decisions after the password has been verified: account state and the tenant the first
 * token is issued for. The session limit is decided by `decideSessionLimit` inside the storage's
 * per-user lock.
 */
import type { MembershipView, UserRecord } from './records.js';
import { resolveTenant } from './tenant.js';

export type LoginDecision =
  | { kind: 'allow'; membership: MembershipView }
  | { kind: 'reject'; error: 'user_disabled' | 'tenant_forbidden' };

export function decideLogin(input: {
  user: UserRecord;
  memberships: readonly MembershipView[];
  requestedTenantId: string | undefined;
}): LoginDecision {
  if (input.user.status !== 'active') return { kind: 'reject', error: 'user_disabled' };
  const tenant = resolveTenant(input.memberships, input.requestedTenantId, null);
  return tenant.kind === 'resolved'
    ? { kind: 'allow', membership: tenant.membership }
    : { kind: 'reject', error: 'tenant_forbidden' };
}
