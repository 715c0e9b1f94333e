/** Admin use cases for tenants (DESIGN §3.3). */
import type { TenantPolicyOverride } from '../../engine/policy.js';
import { TesseraError } from '../../errors.js';
import type { TenantRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';
import type { RequestOrigin } from '../events.js';
import { randomId } from '../ids.js';
import type { AdminActor } from './actor.js';
import { changedFields, recordAdminChange } from './admin-events.js';
import {
  type AdminEnvironmentDefaults,
  applyTenantPolicyPatch,
  type TenantPolicyPatch,
} from './environment-settings.js';
import { isoTime } from './iso-time.js';
import { requireEnvironment, requireTenant } from './lookups.js';
import { type PageQuery, type PageView, pageRequest, pageView } from './paging.js';
import { assertNoProblems } from './problems.js';

export interface TenantView {
  id: string;
  name: string;
  /** The tenant's overrides only; an absent field inherits the environment's value. */
  sessionPolicy: TenantPolicyOverride;
  createdAt: string;
}

export interface CreateTenantInput {
  id?: string;
  name: string;
  sessionPolicy?: TenantPolicyPatch;
}

export interface UpdateTenantInput {
  name?: string;
  sessionPolicy?: TenantPolicyPatch;
}

export async function createTenant(
  deps: ServiceDeps,
  defaults: AdminEnvironmentDefaults,
  envId: string,
  input: CreateTenantInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<TenantView> {
  await requireEnvironment(deps, envId);
  const tenant: TenantRecord = {
    envId,
    id: input.id ?? randomId(),
    name: input.name,
    sessionPolicy: applyTenantPolicyPatch({}, input.sessionPolicy ?? {}),
    createdAt: deps.clock.now(),
  };
  assertNoProblems(
    defaults.validateSessionPolicy(tenant.sessionPolicy).map((problem) => `sessionPolicy.${problem}`),
  );
  if (!(await deps.storage.insertTenant(tenant))) throw new TesseraError('conflict');
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'tenant',
      verb: 'created',
      target: { tenantId: tenant.id },
      tenantId: tenant.id,
      after: { name: tenant.name, sessionPolicy: tenant.sessionPolicy },
    },
  );
  return tenantView(tenant);
}

export async function listTenants(
  deps: ServiceDeps,
  envId: string,
  query: PageQuery = {},
): Promise<PageView<TenantView>> {
  const page = pageRequest(query);
  await requireEnvironment(deps, envId);
  return pageView(await deps.storage.listTenantsPage(envId, page), tenantView);
}

export async function getTenant(deps: ServiceDeps, envId: string, tenantId: string): Promise<TenantView> {
  return tenantView(await requireTenant(deps, envId, tenantId));
}

/** A policy change applies at each member session's next refresh, which reads it from storage. */
export async function updateTenant(
  deps: ServiceDeps,
  defaults: AdminEnvironmentDefaults,
  envId: string,
  tenantId: string,
  input: UpdateTenantInput,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<TenantView> {
  const current = await requireTenant(deps, envId, tenantId);
  const updated: TenantRecord = {
    ...current,
    name: input.name ?? current.name,
    sessionPolicy: applyTenantPolicyPatch(current.sessionPolicy, input.sessionPolicy ?? {}),
  };
  assertNoProblems(
    defaults.validateSessionPolicy(updated.sessionPolicy).map((problem) => `sessionPolicy.${problem}`),
  );
  if (
    !(await deps.storage.updateTenant(envId, tenantId, {
      name: updated.name,
      sessionPolicy: updated.sessionPolicy,
    }))
  ) {
    throw new TesseraError('not_found');
  }
  const changed = changedFields(
    { name: current.name, sessionPolicy: current.sessionPolicy },
    { name: updated.name, sessionPolicy: updated.sessionPolicy },
  );
  if (changed) {
    await recordAdminChange(
      deps,
      { actor, ...origin },
      {
        envId,
        entity: 'tenant',
        verb: 'updated',
        target: { tenantId },
        tenantId,
        ...changed,
      },
    );
  }
  return tenantView(updated);
}

export async function deleteTenant(
  deps: ServiceDeps,
  envId: string,
  tenantId: string,
  actor: AdminActor,
  origin: RequestOrigin,
): Promise<void> {
  if (!(await deps.storage.deleteTenant(envId, tenantId))) throw new TesseraError('not_found');
  await recordAdminChange(
    deps,
    { actor, ...origin },
    {
      envId,
      entity: 'tenant',
      verb: 'deleted',
      target: { tenantId },
      tenantId,
    },
  );
}

function tenantView(tenant: TenantRecord): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    sessionPolicy: tenant.sessionPolicy,
    createdAt: isoTime(tenant.createdAt),
  };
}
