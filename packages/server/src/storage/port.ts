/**
 * The storage port: the only way the server reaches its database. Shaped by the use cases, not
 * by tables. Every adapter (SQLite, PostgreSQL) passes the same conformance suite
 * (`conformance/`). Adapters are the only code that writes SQL.
 *
 * Atomicity (DESIGN §4.5) is part of the contract:
 * - `rotateRefreshToken` supersedes a token only if it is still current, in one atomic step;
 * - `createSession` runs `decide` and applies its outcome under a per-user lock, so the session
 *   limit holds under concurrent logins across processes;
 * - all timestamps are epoch seconds chosen by the caller (the service's clock).
 */
import type { EndReason, MembershipView, SessionRecord, UserRecord, UserStatus } from '../engine/records.js';
import type {
  AuthorizationCodeRecord,
  ClientRecord,
  EnvironmentRecord,
  InteractionRecord,
  MembershipRecord,
  NewAuthorizationCode,
  NewRefreshToken,
  NewSession,
  NewUser,
  RefreshContext,
  RoleRecord,
  SessionEnding,
  SigningKeyRecord,
  TenantRecord,
  UserWithPassword,
} from './records.js';

// The records moved to records.ts; re-exported here until every importer names records.ts.
export type {
  AuthorizationCodeRecord,
  ClientRecord,
  ClientType,
  EnvironmentBranding,
  EnvironmentRecord,
  InteractionRecord,
  KeyState,
  MembershipRecord,
  NewAuthorizationCode,
  NewRefreshToken,
  NewSession,
  NewUser,
  RefreshContext,
  RoleRecord,
  SessionEnding,
  SigningKeyRecord,
  TenantRecord,
  UserWithPassword,
} from './records.js';

/** What a redemption must match for the code to be consumed (AS-02, AS-05, AS-06). */
export type AuthorizationCodeBinding = Pick<
  AuthorizationCodeRecord,
  'clientId' | 'redirectUri' | 'codeChallenge'
>;

export interface RotateRefreshTokenInput {
  sessionId: string;
  presentedHash: string;
  successor: NewRefreshToken;
  now: number;
  /** The refresh carried user activity: advance `lastActiveAt` (never backwards). */
  activity: boolean;
  /** Set the session's default tenant (tenant switch). */
  defaultTenantId?: string;
}

export interface TouchSessionInput {
  sessionId: string;
  now: number;
  activity: boolean;
  defaultTenantId?: string;
}

/** What `createSession`'s `decide` callback returns, from the user's live sessions. */
export type SessionLimitDecision =
  | { kind: 'create'; end: { sessionId: string; reason: EndReason }[] }
  | { kind: 'reject' };

export interface CreateSessionInput {
  session: NewSession;
  token: NewRefreshToken;
  /**
   * The browser's previous session, which the new one replaces (SES-06): ended with `replaced` in
   * the same atomic step as the creation, and not among the sessions `decide` counts. Nothing
   * happens to it when `decide` rejects.
   */
  replaces?: string | undefined;
  /**
   * Called inside the per-user lock with the user's sessions that have not ended (oldest first).
   * Pure and synchronous.
   */
  decide: (liveSessions: readonly SessionRecord[]) => SessionLimitDecision;
}

export type CreateSessionResult =
  | { created: true; ended: { sessionId: string; reason: EndReason }[] }
  | { created: false };

/** Which live sessions may have lapsed: any one of the bounds makes a session a candidate. */
export interface LapseCandidateBounds {
  /** Last user activity before this (the shortest idle timeout in force); `null`: no idle policy. */
  lastActiveBefore: number | null;
  /** Created before this (the shortest absolute timeout); `null`: no absolute policy. */
  createdBefore: number | null;
  /** Last refreshed before this (the refresh-token lifetime). */
  lastRefreshBefore: number;
}

export interface PruneSessionHistoryInput {
  rotatedBefore: number;
  endedBefore: number;
  /** Authorization codes and interactions that expired before this are deleted. */
  grantsExpiredBefore: number;
}

export interface PruneSessionHistoryResult {
  refreshTokens: number;
  sessions: number;
  authorizationCodes: number;
  interactions: number;
}

/** A partial update; an absent field is left as it is. */
export type Patch<T> = { [K in keyof T]?: T[K] };

/**
 * Where a page of a list starts: after the item whose creation time and id (the list's order)
 * are these. Keyset paging: an item inserted meanwhile neither shifts nor repeats a page.
 */
export type PageKey = readonly [createdAt: number, id: string];

export interface PageRequest {
  /** The previous page's `next`; `null` for the first page. */
  after: PageKey | null;
  /** At most this many items (a positive integer). */
  limit: number;
}

export interface Page<R> {
  items: R[];
  /** Where the next page starts; `null` when this page is the last. */
  next: PageKey | null;
}

export interface Storage {
  /** Applies pending migrations. Idempotent; safe to run from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** The database's own clock, epoch seconds with a fraction (multi-node time source). */
  databaseTime(): Promise<number>;

  // Environments
  getEnvironment(envId: string): Promise<EnvironmentRecord | null>;
  listEnvironments(): Promise<EnvironmentRecord[]>;
  /** `false` when the id is taken. */
  insertEnvironment(env: EnvironmentRecord): Promise<boolean>;
  updateEnvironment(
    envId: string,
    patch: Patch<Pick<EnvironmentRecord, 'name' | 'tokenSettings' | 'sessionPolicy' | 'branding'>>,
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
  /** One page of {@link listUsers}, in the same order (see {@link PageRequest}). */
  listUsersPage(envId: string, page: PageRequest): Promise<Page<UserRecord>>;
  /** `false` when the normalised email is taken in the environment. */
  insertUser(user: NewUser): Promise<boolean>;
  updateUser(
    envId: string,
    userId: string,
    patch: Patch<Pick<UserRecord, 'name' | 'status'> & { passwordHash: string }>,
  ): Promise<boolean>;
  /** Sets the status; `disabled` ends every live session of the user with `user_disabled`, atomically. */
  setUserStatus(
    envId: string,
    userId: string,
    status: UserStatus,
    now: number,
  ): Promise<{ found: boolean; endedSessionIds: string[] }>;
  /** Deletes the user, their memberships, and ends their sessions (`user_deleted`). */
  deleteUser(
    envId: string,
    userId: string,
    now: number,
  ): Promise<{ found: boolean; endedSessionIds: string[] }>;

  // Memberships
  /** Creates or replaces the membership's roles. */
  putMembership(membership: MembershipRecord): Promise<void>;
  deleteMembership(envId: string, tenantId: string, userId: string): Promise<boolean>;
  listTenantMembers(envId: string, tenantId: string): Promise<MembershipRecord[]>;
  /** The user's memberships with tenant name, roles' permissions and tenant policy; oldest first. */
  listUserMemberships(envId: string, userId: string): Promise<MembershipView[]>;

  // Sessions and refresh tokens
  /** Creates a session and its first refresh token under the session limit, atomically. */
  createSession(input: CreateSessionInput): Promise<CreateSessionResult>;
  getSession(sessionId: string): Promise<SessionRecord | null>;
  /** Sessions of the user that have not ended, oldest first. */
  listLiveSessions(envId: string, userId: string): Promise<SessionRecord[]>;
  /** `clientId`: the client asking, for `clientAuthorized` (the session's own client when absent). */
  loadRefreshContext(tokenHash: string, clientId?: string): Promise<RefreshContext | null>;
  /**
   * Supersedes `presentedHash` with `successor` if and only if it is still current and its session
   * has not ended; updates the session's refresh time, activity (never backwards) and default
   * tenant. `false` when another request won the race or the session ended.
   */
  rotateRefreshToken(input: RotateRefreshTokenInput): Promise<boolean>;
  /**
   * Authorizes one more client for a session (single sign-on), with the scopes of its latest
   * authorization (they replace earlier ones). Idempotent.
   */
  addSessionClient(
    sessionId: string,
    clientId: string,
    now: number,
    scopes: readonly string[],
  ): Promise<void>;
  /** The scopes a client of the session was last authorized for; `null` when it is not one of its clients. */
  getSessionClientScopes(sessionId: string, clientId: string): Promise<string[] | null>;
  /**
   * Adds a confidential client's refresh-token family to a live session: a root token with no
   * predecessor, issued to `clientId` (its successors inherit it, RT-07), rotated by the same rules
   * (ADR 0004). `false` when the session has ended or does not exist; then nothing is written.
   */
  addRefreshToken(sessionId: string, token: NewRefreshToken, clientId: string): Promise<boolean>;
  /** Records activity / default tenant without rotating (a grace-window replay). */
  touchSession(input: TouchSessionInput): Promise<void>;
  /** Ends a live session; `false` if it had already ended or does not exist. */
  endSession(sessionId: string, reason: EndReason, now: number): Promise<boolean>;
  /** Ends every live session of a user, except `exceptSessionId`; returns the ended ids. */
  endUserSessions(
    envId: string,
    userId: string,
    reason: EndReason,
    now: number,
    exceptSessionId?: string,
  ): Promise<string[]>;

  /** Sessions of the environment that ended at or after `endedSince`, oldest first. */
  listSessionEndings(envId: string, endedSince: number, limit: number): Promise<SessionEnding[]>;
  /** Live sessions of the environment that may have lapsed (see the bounds), least recently active first. */
  listLapseCandidates(envId: string, bounds: LapseCandidateBounds, limit: number): Promise<SessionRecord[]>;

  /**
   * Deletes history no decision needs any more, in small batches: refresh tokens superseded before
   * `rotatedBefore` (a replay of one is then just an unknown token), and sessions ended before
   * `endedBefore` with their tokens, and authorization codes and interactions that expired before
   * `grantsExpiredBefore`. Never a live session's current token.
   */
  pruneSessionHistory(input: PruneSessionHistoryInput): Promise<PruneSessionHistoryResult>;

  // Hosted login: authorization codes and interactions
  insertAuthorizationCode(code: NewAuthorizationCode): Promise<void>;
  /**
   * Marks the code redeemed at `now` if it was not **and** it is bound to `binding`, in one atomic
   * step: across processes exactly one caller ever sees `firstUse: true`, and a presentation that
   * does not match the binding never consumes the code (then `firstUse: false` with `redeemedAt`
   * as it was). `null` for an unknown code.
   */
  redeemAuthorizationCode(
    codeHash: string,
    now: number,
    binding: AuthorizationCodeBinding,
  ): Promise<{ code: AuthorizationCodeRecord; firstUse: boolean } | null>;
  /** Stores the interaction; `false` (and nothing written) when one with its id exists. */
  insertInteraction(interaction: InteractionRecord): Promise<boolean>;
  getInteraction(idHash: string): Promise<InteractionRecord | null>;
  /** Records the authenticated user of an interaction; `false` if it does not exist. */
  setInteractionUser(idHash: string, userId: string, authTime: number): Promise<boolean>;
  /**
   * Marks the interaction completed (clears its user) and returns it, atomically: an interaction
   * completes once, and `null` answers one that does not exist or has no user. The row stays, as
   * the completed mark, until it expires and is pruned.
   */
  consumeInteraction(idHash: string): Promise<InteractionRecord | null>;

  // Signing keys
  listSigningKeys(envId: string): Promise<SigningKeyRecord[]>;
  /**
   * Inserts `key` and sets `retiredAt = key.activatesAt` on the environment's previously newest key,
   * atomically.
   */
  addSigningKey(key: SigningKeyRecord): Promise<void>;
  /**
   * Inserts `key` only if the environment has no signing key at all, atomically with that check,
   * so that nodes starting together on one database agree on one first key. `false` (nothing
   * written) when the environment already has a key: read it with `listSigningKeys`.
   */
  addFirstSigningKey(key: SigningKeyRecord): Promise<boolean>;
  /** Deletes keys retired before `before` (no token they signed can still be valid). */
  deleteRetiredSigningKeys(envId: string, before: number): Promise<number>;
}
