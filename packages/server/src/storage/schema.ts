/**
 * The tables as Kysely sees them (see `migrations/0001-initial.ts`). Rows are snake_case; only
 * `rows.ts` turns them into the camelCase records of the port.
 */
import type { ColumnType, Generated, Selectable } from 'kysely';

/** Written as JSON text; read back as text on SQLite and already parsed (jsonb) on PostgreSQL. */
export type JsonColumn = ColumnType<unknown, string, string>;

export interface EnvironmentsTable {
  id: string;
  name: string;
  token_settings: JsonColumn;
  session_policy: JsonColumn;
  branding: JsonColumn;
  /** Migration 0010: `{ allowPrivateTargets }`, `{}` until set. */
  webhook_settings: ColumnType<unknown, string | undefined, string>;
  created_at: number;
}

export interface ClientsTable {
  env_id: string;
  client_id: string;
  name: string;
  type: string;
  secret_hash: string | null;
  redirect_uris: JsonColumn;
  allowed_origins: JsonColumn;
  post_logout_redirect_uris: JsonColumn;
  created_at: number;
}

export interface RolesTable {
  env_id: string;
  key: string;
  name: string;
  permissions: JsonColumn;
}

export interface TenantsTable {
  env_id: string;
  id: string;
  name: string;
  session_policy: JsonColumn;
  created_at: number;
}

export interface UsersTable {
  env_id: string;
  id: string;
  email: string;
  email_normalized: string;
  name: string | null;
  password_hash: string;
  status: string;
  created_at: number;
}

export interface MembershipsTable {
  env_id: string;
  tenant_id: string;
  user_id: string;
  roles: JsonColumn;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  env_id: string;
  user_id: string;
  client_id: string;
  created_at: number;
  auth_time: number;
  last_active_at: number;
  /** Migration 0007; see `SessionRecord.activityOrder`. */
  activity_order: number;
  last_refresh_at: number;
  default_tenant_id: string | null;
  user_agent: string | null;
  ip: string | null;
  /** Migration 0009: the IP of the latest refresh. */
  last_ip: string | null;
  ended_at: number | null;
  end_reason: string | null;
}

export interface RefreshTokensTable {
  token_hash: string;
  session_id: string;
  issued_at: number;
  expires_at: number;
  rotated_at: number | null;
  successor_hash: string | null;
  client_id: string | null;
}

export interface SigningKeysTable {
  env_id: string;
  kid: string;
  alg: string;
  public_jwk: JsonColumn;
  private_key_encrypted: string;
  created_at: number;
  activates_at: number;
  retired_at: number | null;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  env_id: string;
  client_id: string;
  session_id: string;
  user_id: string;
  tenant_id: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: JsonColumn;
  nonce: string | null;
  auth_time: number;
  issued_at: number;
  expires_at: number;
  redeemed_at: number | null;
}

export interface InteractionsTable {
  id_hash: string;
  env_id: string;
  client_id: string;
  request: JsonColumn;
  csrf_token_hash: string;
  user_id: string | null;
  auth_time: number | null;
  created_at: number;
  expires_at: number;
}

export interface SessionClientsTable {
  session_id: string;
  client_id: string;
  added_at: number;
  scopes: JsonColumn;
}

/** Migration 0009: activity per environment and minute, summed over nodes. */
export interface ActivityCountsTable {
  env_id: string;
  /** Epoch seconds of the minute's start. */
  minute: number;
  name: string;
  count: number;
}

/** Migration 0008 (docs/events.md); `at` is epoch milliseconds. */
export interface EventsTable {
  id: string;
  env_id: string;
  type: string;
  at: number;
  user_id: string | null;
  sid: string | null;
  tenant_id: string | null;
  client_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: JsonColumn;
}

export interface Database {
  environments: EnvironmentsTable;
  clients: ClientsTable;
  roles: RolesTable;
  tenants: TenantsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  authorization_codes: AuthorizationCodesTable;
  interactions: InteractionsTable;
  session_clients: SessionClientsTable;
  activity_counts: ActivityCountsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_event_types: WebhookEventTypesTable;
  webhook_deliveries: WebhookDeliveriesTable;
  events: EventsTable;
}

export interface WebhookEndpointsTable {
  id: string;
  env_id: string;
  url: string;
  description: string | null;
  /** 0 or 1. */
  enabled: number;
  secret_encrypted: string;
  created_at: number;
}

export interface WebhookEventTypesTable {
  endpoint_id: string;
  /** An event type, `*` (all) or `prefix.*`. */
  event_type: string;
  /** The filter's order as given. */
  position: number;
}

export interface WebhookDeliveriesTable {
  seq: Generated<number>;
  id: string;
  endpoint_id: string;
  env_id: string;
  event_id: string;
  event_type: string;
  sid: string | null;
  payload: JsonColumn;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  locked_until: number | null;
  last_attempt_at: number | null;
  last_response_status: number | null;
  last_error: string | null;
  created_at: number;
}

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

export type SessionRow = Selectable<SessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;
export type UserRow = Selectable<UsersTable>;
export type EnvironmentRow = Selectable<EnvironmentsTable>;
export type ClientRow = Selectable<ClientsTable>;

/** A membership joined with its tenant, and the permissions of its roles (not yet de-duplicated). */
export interface MembershipViewRow {
  tenant_id: string;
  tenant_name: string;
  roles: unknown;
  session_policy: unknown;
  permissions: unknown;
}
