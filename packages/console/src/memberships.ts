/**
 * A user's memberships. The console asks `GET …/users/{userId}/memberships` (added for the
 * console); a server without that route is answered by reading every tenant's members instead.
 */
import { ApiError, admin, adminPage, seg } from './api';
import { envPath } from './environment';
import type { Membership, Tenant } from './types';

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

export async function userMemberships(
  envId: string,
  userId: string,
  signal?: AbortSignal,
): Promise<Membership[]> {
  try {
    return await admin<Membership[]>(
      envPath(envId, `/users/${seg(userId)}/memberships`),
      signal ? { signal } : {},
    );
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) throw error;
  }
  const tenants = await listAllTenants(envId, signal);
  const members = await Promise.all(
    tenants.map((tenant) =>
      admin<Membership[]>(envPath(envId, `/tenants/${seg(tenant.id)}/members`), signal ? { signal } : {}),
    ),
  );
  return members.flat().filter((membership) => membership.userId === userId);
}
