/** Admin use cases for roles (DESIGN §3.3): per-environment role keys mapped to permission keys. */
import { TesseraError } from '../../errors.js';
import type { RoleRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import type { AdminActor } from './actor.js';
import { changedFields, recordAdminChange } from './admin-events.js';
import { requireEnvironment } from './lookups.js';

export interface RoleView {
  key: string;
  name: string;
  permissions: string[];
}

export interface CreateRoleInput {
  key: string;
  name: string;
  permissions: string[];
}

export interface UpdateRoleInput {
  name?: string;
  permissions?: string[];
}

export async function createRole(
  deps: ServiceDeps,
  envId: string,
  input: CreateRoleInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<RoleView> {
  await requireEnvironment(deps, envId);
  const role: RoleRecord = { envId, key: input.key, name: input.name, permissions: input.permissions };
  if (!(await deps.storage.insertRole(role))) throw new TesseraError('conflict');
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'role',
      verb: 'created',
      target: { role: role.key },
      after: { name: role.name, permissions: role.permissions },
    },
  );
  return roleView(role);
}

export async function listRoles(deps: ServiceDeps, envId: string): Promise<RoleView[]> {
  await requireEnvironment(deps, envId);
  return (await deps.storage.listRoles(envId)).map(roleView);
}

export async function getRole(deps: ServiceDeps, envId: string, key: string): Promise<RoleView> {
  return roleView(await requireRole(deps, envId, key));
}

/** A permission change reaches tokens at each session's next refresh. */
export async function updateRole(
  deps: ServiceDeps,
  envId: string,
  key: string,
  input: UpdateRoleInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<RoleView> {
  const current = await requireRole(deps, envId, key);
  const updated: RoleRecord = {
    ...current,
    name: input.name ?? current.name,
    permissions: input.permissions ?? current.permissions,
  };
  if (
    !(await deps.storage.updateRole(envId, key, { name: updated.name, permissions: updated.permissions }))
  ) {
    throw new TesseraError('not_found');
  }
  const changed = changedFields(
    { name: current.name, permissions: current.permissions },
    { name: updated.name, permissions: updated.permissions },
  );
  if (changed) {
    await recordAdminChange(
      deps,
      { actor, ...origin },
      {
        envId,
        entity: 'role',
        verb: 'updated',
        target: { role: key },
        ...changed,
      },
    );
  }
  return roleView(updated);
}

export async function deleteRole(
  deps: ServiceDeps,
  envId: string,
  key: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  if (!(await deps.storage.deleteRole(envId, key))) throw new TesseraError('not_found');
  await recordAdminChange(
    deps,
    { actor, ...origin },
    { envId, entity: 'role', verb: 'deleted', target: { role: key } },
  );
}

async function requireRole(deps: ServiceDeps, envId: string, key: string): Promise<RoleRecord> {
  const role = await deps.storage.getRole(envId, key);
  if (!role) throw new TesseraError('not_found');
  return role;
}

function roleView(role: RoleRecord): RoleView {
  return { key: role.key, name: role.name, permissions: role.permissions };
}
