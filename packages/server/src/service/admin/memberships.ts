/** Admin use cases for tenant memberships (DESIGN §3.3). */
import { TesseraError } from '../../errors.js';
import type { MembershipRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import type { AdminActor } from './actor.js';
import { changedFields, recordAdminChange } from './admin-events.js';
import { isoTime } from './iso-time.js';
import { requireTenant, requireUser } from './lookups.js';
import { assertNoProblems } from './problems.js';

export interface MembershipView {
  tenantId: string;
  userId: string;
  roles: string[];
  createdAt: string;
}

/** Creates the membership or replaces its roles; every role must exist in the environment. */
export async function putMembership(
  deps: ServiceDeps,
  envId: string,
  tenantId: string,
  userId: string,
  input: { roles: string[] },
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<MembershipView> {
  await Promise.all([requireTenant(deps, envId, tenantId), requireUser(deps, envId, userId)]);
  const memberOf = async () =>
    (await deps.storage.listTenantMembers(envId, tenantId)).find((m) => m.userId === userId);
  const previous = await memberOf();
  const known = new Set((await deps.storage.listRoles(envId)).map((role) => role.key));
  assertNoProblems(
    input.roles.flatMap((key, index) =>
      known.has(key) ? [] : [`roles[${index}] is not a role of this environment.`],
    ),
  );
  await deps.storage.putMembership({
    envId,
    tenantId,
    userId,
    roles: input.roles,
    createdAt: deps.clock.now(),
  });
  const stored = await memberOf();
  if (!stored) throw new TesseraError('not_found');
  const change = {
    envId,
    entity: 'membership',
    target: { tenantId, userId },
    userId,
    tenantId,
  };
  if (previous === undefined) {
    await recordAdminChange(
      deps,
      { actor, ...origin },
      { ...change, verb: 'created', after: { roles: stored.roles } },
    );
  } else {
    const changed = changedFields({ roles: previous.roles }, { roles: stored.roles });
    if (changed)
      await recordAdminChange(deps, { actor, ...origin }, { ...change, verb: 'updated', ...changed });
  }
  return membershipView(stored);
}

export async function listMembers(
  deps: ServiceDeps,
  envId: string,
  tenantId: string,
): Promise<MembershipView[]> {
  await requireTenant(deps, envId, tenantId);
  return (await deps.storage.listTenantMembers(envId, tenantId)).map(membershipView);
}

/** Removes the membership; the user's next refresh for that tenant is refused (TEN-03). */
export async function deleteMembership(
  deps: ServiceDeps,
  envId: string,
  tenantId: string,
  userId: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  if (!(await deps.storage.deleteMembership(envId, tenantId, userId))) throw new TesseraError('not_found');
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'membership',
      verb: 'deleted',
      target: { tenantId, userId },
      userId,
      tenantId,
    },
  );
}

function membershipView(membership: MembershipRecord): MembershipView {
  return {
    tenantId: membership.tenantId,
    userId: membership.userId,
    roles: membership.roles,
    createdAt: isoTime(membership.createdAt),
  };
}
