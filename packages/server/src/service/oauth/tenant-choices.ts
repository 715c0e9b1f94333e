/**
 * The tenants a signed-in user may pick from on the hosted login's tenant picker: every tenant
 * the user is a member of in the environment.
 */
import type { ServiceDeps } from '../deps.js';

export interface TenantChoice {
  id: string;
  name: string;
}

export async function tenantChoices(
  deps: Pick<ServiceDeps, 'storage'>,
  envId: string,
  userId: string,
): Promise<TenantChoice[]> {
  const memberships = await deps.storage.listUserMemberships(envId, userId);
  return memberships.map((m) => ({ id: m.tenantId, name: m.tenantName }));
}
