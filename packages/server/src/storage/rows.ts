/**
 * Row ↔ record mapping, shared by both adapters: the only place that knows the column names of
 * the records and how their JSON fields are stored.
 */
import type { SigningAlgorithm } from '@tessera/protocol';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { TokenSettings } from '../config/token-settings.js';
import type { SessionPolicy, TenantPolicyOverride } from '../engine/policy.js';
import type {
  EndReason,
  MembershipView,
  RefreshTokenRecord,
  SessionRecord,
  UserRecord,
  UserStatus,
} from '../engine/records.js';
import type { Patch } from './port/directory.js';
import type {
  ClientRecord,
  ClientType,
  EnvironmentBranding,
  EnvironmentRecord,
  MembershipRecord,
  NewSession,
  NewUser,
  RoleRecord,
  SigningKeyRecord,
  TenantRecord,
  UserWithPassword,
  WebhookSettings,
} from './records.js';
import type {
  ClientsTable,
  EnvironmentRow,
  EnvironmentsTable,
  MembershipsTable,
  MembershipViewRow,
  RefreshTokenRow,
  RolesTable,
  SessionRow,
  SessionsTable,
  SigningKeysTable,
  TenantsTable,
  UserRow,
  UsersTable,
} from './schema.js';

/** JSON columns come back as text from SQLite and parsed from PostgreSQL's jsonb. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

function jsonIfSet(value: unknown): string | undefined {
  return value === undefined ? undefined : json(value);
}

/** Drops absent fields so that an update touches only what the patch names. */
export function compact<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * The environment of a row. Read on every refresh, so SQLite's rows (JSON as text) are parsed once
 * per distinct text: the record of the same text is returned again, frozen, because it is shared.
 */
export function toEnvironment(row: EnvironmentRow): EnvironmentRecord {
  if (typeof row.token_settings !== 'string') return parseEnvironment(row);
  const text = `${row.name}\u0000${row.token_settings}\u0000${row.session_policy}\u0000${row.branding}\u0000${row.webhook_settings}\u0000${row.created_at}`;
  const known = parsedEnvironments.get(row.id);
  if (known?.text === text) return known.record;
  const record = deepFreeze(parseEnvironment(row));
  if (parsedEnvironments.size >= PARSED_ENVIRONMENTS_KEPT) parsedEnvironments.clear();
  parsedEnvironments.set(row.id, { text, record });
  return record;
}

const PARSED_ENVIRONMENTS_KEPT = 1000;
const parsedEnvironments = new Map<string, { text: string; record: EnvironmentRecord }>();

function parseEnvironment(row: EnvironmentRow): EnvironmentRecord {
  return {
    id: row.id,
    name: row.name,
    tokenSettings: parseJson<TokenSettings>(row.token_settings),
    sessionPolicy: parseJson<SessionPolicy>(row.session_policy),
    branding: parseJson<EnvironmentBranding>(row.branding),
    webhookSettings: {
      allowPrivateTargets: false,
      ...parseJson<Partial<WebhookSettings>>(row.webhook_settings),
    },
    createdAt: row.created_at,
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}

export function environmentRow(env: EnvironmentRecord): Insertable<EnvironmentsTable> {
  return {
    id: env.id,
    name: env.name,
    token_settings: json(env.tokenSettings),
    session_policy: json(env.sessionPolicy),
    branding: json(env.branding),
    webhook_settings: json(env.webhookSettings),
    created_at: env.createdAt,
  };
}

export function environmentPatch(
  patch: Patch<
    Pick<EnvironmentRecord, 'name' | 'tokenSettings' | 'sessionPolicy' | 'branding' | 'webhookSettings'>
  >,
): Updateable<EnvironmentsTable> {
  return compact({
    name: patch.name,
    token_settings: jsonIfSet(patch.tokenSettings),
    session_policy: jsonIfSet(patch.sessionPolicy),
    branding: jsonIfSet(patch.branding),
    webhook_settings: jsonIfSet(patch.webhookSettings),
  });
}

export function toClient(row: Selectable<ClientsTable>): ClientRecord {
  return {
    envId: row.env_id,
    clientId: row.client_id,
    name: row.name,
    type: row.type as ClientType,
    secretHash: row.secret_hash,
    redirectUris: parseJson<string[]>(row.redirect_uris),
    allowedOrigins: parseJson<string[]>(row.allowed_origins),
    postLogoutRedirectUris: parseJson<string[]>(row.post_logout_redirect_uris),
    createdAt: row.created_at,
  };
}

export function clientRow(client: ClientRecord): Insertable<ClientsTable> {
  return {
    env_id: client.envId,
    client_id: client.clientId,
    created_at: client.createdAt,
    ...clientPatch(client),
  } as Insertable<ClientsTable>;
}

export function clientPatch(
  patch: Patch<Omit<ClientRecord, 'envId' | 'clientId' | 'createdAt'>>,
): Updateable<ClientsTable> {
  return compact({
    name: patch.name,
    type: patch.type,
    secret_hash: patch.secretHash,
    redirect_uris: jsonIfSet(patch.redirectUris),
    allowed_origins: jsonIfSet(patch.allowedOrigins),
    post_logout_redirect_uris: jsonIfSet(patch.postLogoutRedirectUris),
  });
}

export function toRole(row: Selectable<RolesTable>): RoleRecord {
  return {
    envId: row.env_id,
    key: row.key,
    name: row.name,
    permissions: parseJson<string[]>(row.permissions),
  };
}

export function roleRow(role: RoleRecord): Insertable<RolesTable> {
  return { env_id: role.envId, key: role.key, name: role.name, permissions: json(role.permissions) };
}

export function rolePatch(patch: Patch<Pick<RoleRecord, 'name' | 'permissions'>>): Updateable<RolesTable> {
  return compact({ name: patch.name, permissions: jsonIfSet(patch.permissions) });
}

export function toTenant(row: Selectable<TenantsTable>): TenantRecord {
  return {
    envId: row.env_id,
    id: row.id,
    name: row.name,
    sessionPolicy: parseJson<TenantPolicyOverride>(row.session_policy),
    createdAt: row.created_at,
  };
}

export function tenantRow(tenant: TenantRecord): Insertable<TenantsTable> {
  return {
    env_id: tenant.envId,
    id: tenant.id,
    name: tenant.name,
    session_policy: json(tenant.sessionPolicy),
    created_at: tenant.createdAt,
  };
}

export function tenantPatch(
  patch: Patch<Pick<TenantRecord, 'name' | 'sessionPolicy'>>,
): Updateable<TenantsTable> {
  return compact({ name: patch.name, session_policy: jsonIfSet(patch.sessionPolicy) });
}

export function toUser(row: Pick<UserRow, 'env_id' | 'id' | 'email' | 'name' | 'status'>): UserRecord {
  return {
    id: row.id,
    envId: row.env_id,
    email: row.email,
    name: row.name,
    status: row.status as UserStatus,
  };
}

export function toUserWithPassword(row: UserRow): UserWithPassword {
  return { ...toUser(row), passwordHash: row.password_hash };
}

export function userRow(user: NewUser): Insertable<UsersTable> {
  return {
    env_id: user.envId,
    id: user.id,
    email: user.email,
    email_normalized: user.emailNormalized,
    name: user.name,
    password_hash: user.passwordHash,
    status: 'active',
    created_at: user.createdAt,
  };
}

export function userPatch(
  patch: Patch<Pick<UserRecord, 'name' | 'status'> & { passwordHash: string }>,
): Updateable<UsersTable> {
  return compact({ name: patch.name, status: patch.status, password_hash: patch.passwordHash });
}

export function toMembership(row: Selectable<MembershipsTable>): MembershipRecord {
  return {
    envId: row.env_id,
    tenantId: row.tenant_id,
    userId: row.user_id,
    roles: parseJson<string[]>(row.roles),
    createdAt: row.created_at,
  };
}

export function membershipRow(membership: MembershipRecord): Insertable<MembershipsTable> {
  return {
    env_id: membership.envId,
    tenant_id: membership.tenantId,
    user_id: membership.userId,
    roles: json(membership.roles),
    created_at: membership.createdAt,
  };
}

export function toMembershipView(row: MembershipViewRow): MembershipView {
  const permissions = parseJson<(string | null)[] | null>(row.permissions) ?? [];
  return {
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    roles: parseJson<string[]>(row.roles),
    permissions: [...new Set(permissions.filter((p): p is string => typeof p === 'string'))].sort(),
    policy: parseJson<TenantPolicyOverride>(row.session_policy),
  };
}

export function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    envId: row.env_id,
    userId: row.user_id,
    clientId: row.client_id,
    createdAt: row.created_at,
    authTime: row.auth_time,
    lastActiveAt: row.last_active_at,
    activityOrder: row.activity_order,
    lastRefreshAt: row.last_refresh_at,
    defaultTenantId: row.default_tenant_id,
    userAgent: row.user_agent,
    ip: row.ip,
    lastIp: row.last_ip,
    endedAt: row.ended_at,
    endReason: row.end_reason as EndReason | null,
  };
}

export function sessionRow(
  session: NewSession,
): Omit<SessionsTable, 'ended_at' | 'end_reason' | 'activity_order' | 'last_ip'> {
  return {
    id: session.id,
    env_id: session.envId,
    user_id: session.userId,
    client_id: session.clientId,
    created_at: session.createdAt,
    auth_time: session.authTime,
    last_active_at: session.lastActiveAt,
    last_refresh_at: session.lastRefreshAt,
    default_tenant_id: session.defaultTenantId,
    user_agent: session.userAgent,
    ip: session.ip,
  };
}

export function toRefreshToken(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    hash: row.token_hash,
    sessionId: row.session_id,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    rotatedAt: row.rotated_at,
    successorHash: row.successor_hash,
    clientId: row.client_id,
  };
}

export function toSigningKey(row: Selectable<SigningKeysTable>): SigningKeyRecord {
  return {
    envId: row.env_id,
    kid: row.kid,
    alg: row.alg as SigningAlgorithm,
    publicJwk: parseJson<Record<string, unknown>>(row.public_jwk),
    privateKeyEncrypted: row.private_key_encrypted,
    createdAt: row.created_at,
    activatesAt: row.activates_at,
    retiredAt: row.retired_at,
  };
}

export function signingKeyRow(key: SigningKeyRecord): Insertable<SigningKeysTable> {
  return {
    env_id: key.envId,
    kid: key.kid,
    alg: key.alg,
    public_jwk: json(key.publicJwk),
    private_key_encrypted: key.privateKeyEncrypted,
    created_at: key.createdAt,
    activates_at: key.activatesAt,
    retired_at: key.retiredAt,
  };
}
