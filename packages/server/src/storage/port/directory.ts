/**
 * The directory role of the storage port: who and what exists in an environment — the environment
 * itself, its clients, roles, tenants, users and memberships. The admin API writes it; login, the
 * token endpoint and the lapse sweep read it.
 */
import type { MembershipView, UserRecord, UserStatus } from '../../engine/records.js';
import type {
  ClientRecord,
  EnvironmentRecord,
  MembershipRecord,
  NewUser,
  RoleRecord,
  TenantRecord,
  UserWithPassword,
} from '../records.js';
import type { Page, PageRequest } from './paging.js';

/** A partial update; an absent field is left as it is. */
export type Patch<T> = { [K in keyof T]?: T[K] };

export interface SetUserStatusInput {
  envId: string;
  userId: string;
  status: UserStatus;
  now: number;
}

/** A search of the users by a part of their email, NFKC and lower-cased as stored. */
export interface UserSearch {
  emailContains: string;
}

/** What a change to a user did: whether the user exists, and the sessions it ended. */
export interface UserChangeResult {
  found: boolean;
  endedSessionIds: string[];
}

export interface DirectoryStore {
  // Environments
  getEnvironment(envId: string): Promise<EnvironmentRecord | null>;
  listEnvironments(): Promise<EnvironmentRecord[]>;
  /** `false` when the id is taken. */
  insertEnvironment(env: EnvironmentRecord): Promise<boolean>;
  updateEnvironment(
    envId: string,
    patch: Patch<
      Pick<EnvironmentRecord, 'name' | 'tokenSettings' | 'sessionPolicy' | 'branding' | 'webhookSettings'>
    >,
  ): Promise<boolean>;
  /** Deletes the environment and everything in it. */
  deleteEnvironment(envId: string): Promise<boolean>;

  // Clients
  getClient(envId: string, clientId: string): Promise<ClientRecord | null>;
  listClients(envId: string): Promise<ClientRecord[]>;
  /** One page of {@link listClients}, in the same order (see {@link PageRequest}). */
  listClientsPage(envId: string, page: PageRequest): Promise<Page<ClientRecord>>;
  insertClient(client: ClientRecord): Promise<boolean>;
  updateClient(
    envId: string,
    clientId: string,
    patch: Patch<Omit<ClientRecord, 'envId' | 'clientId' | 'createdAt'>>,
  ): Promise<boolean>;
  deleteClient(envId: string, clientId: string): Promise<boolean>;

  // Roles
  getRole(envId: string, key: string): Promise<RoleRecord | null>;
  listRoles(envId: string): Promise<RoleRecord[]>;
  insertRole(role: RoleRecord): Promise<boolean>;
  updateRole(
    envId: string,
    key: string,
    patch: Patch<Pick<RoleRecord, 'name' | 'permissions'>>,
  ): Promise<boolean>;
  deleteRole(envId: string, key: string): Promise<boolean>;

  // Tenants
  getTenant(envId: string, tenantId: string): Promise<TenantRecord | null>;
  listTenants(envId: string): Promise<TenantRecord[]>;
  /** One page of {@link listTenants}, in the same order (see {@link PageRequest}). */
  listTenantsPage(envId: string, page: PageRequest): Promise<Page<TenantRecord>>;
  insertTenant(tenant: TenantRecord): Promise<boolean>;
  updateTenant(
    envId: string,
    tenantId: string,
    patch: Patch<Pick<TenantRecord, 'name' | 'sessionPolicy'>>,
  ): Promise<boolean>;
  deleteTenant(envId: string, tenantId: string): Promise<boolean>;

  // Users
  getUser(envId: string, userId: string): Promise<UserRecord | null>;
  findUserByEmail(envId: string, emailNormalized: string): Promise<UserWithPassword | null>;
  listUsers(envId: string): Promise<UserRecord[]>;
  /**
   * One page of {@link listUsers}, in the same order (see {@link PageRequest}); with `search`, only
   * the users whose normalised email contains `search.emailContains` (already normalised).
   */
  listUsersPage(envId: string, page: PageRequest, search?: UserSearch): Promise<Page<UserRecord>>;
  /** `false` when the normalised email is taken in the environment. */
  insertUser(user: NewUser): Promise<boolean>;
  updateUser(
    envId: string,
    userId: string,
    patch: Patch<Pick<UserRecord, 'name' | 'status'> & { passwordHash: string }>,
  ): Promise<boolean>;
  /** Sets the status; `disabled` ends every live session of the user with `user_disabled`, atomically. */
  setUserStatus(input: SetUserStatusInput): Promise<UserChangeResult>;
  /** Deletes the user, their memberships, and ends their sessions (`user_deleted`). */
  deleteUser(envId: string, userId: string, now: number): Promise<UserChangeResult>;

  // Memberships
  /** Creates or replaces the membership's roles. */
  putMembership(membership: MembershipRecord): Promise<void>;
  deleteMembership(envId: string, tenantId: string, userId: string): Promise<boolean>;
  listTenantMembers(envId: string, tenantId: string): Promise<MembershipRecord[]>;
  /** The user's memberships with tenant name, roles' permissions and tenant policy; oldest first. */
  listUserMemberships(envId: string, userId: string): Promise<MembershipView[]>;
}
