/** Loads what an admin request names, or answers `404 not_found`. */
import type { UserRecord } from '../../engine/records.js';
import { TesseraError } from '../../errors.js';
import type { EnvironmentRecord, TenantRecord } from '../../storage/records.js';
import type { ServiceDeps } from '../deps.js';

export async function requireEnvironment(deps: ServiceDeps, envId: string): Promise<EnvironmentRecord> {
  const environment = await deps.storage.getEnvironment(envId);
  if (!environment) throw new TesseraError('not_found');
  return environment;
}

export async function requireTenant(
  deps: ServiceDeps,
  envId: string,
  tenantId: string,
): Promise<TenantRecord> {
  const tenant = await deps.storage.getTenant(envId, tenantId);
  if (!tenant) throw new TesseraError('not_found');
  return tenant;
}

export async function requireUser(deps: ServiceDeps, envId: string, userId: string): Promise<UserRecord> {
  const user = await deps.storage.getUser(envId, userId);
  if (!user) throw new TesseraError('not_found');
  return user;
}
