/**
 * The prepared statements of the SQLite adapter's transactional and hot paths, prepared once per
 * connection (after migration, since preparing checks the schema).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type {
  ClientRow,
  EnvironmentRow,
  MembershipViewRow,
  RefreshTokenRow,
  SessionRow,
  UserRow,
} from '../schema.js';

type Db = BetterSqlite3.Database;

export interface SessionActivityParams {
  session_id: string;
  now: number;
  /** 1 to set `last_refresh_at`. */
  refreshed: 0 | 1;
  /** 1 to advance `last_active_at` (never backwards). */
  activity: 0 | 1;
  default_tenant_id: string | null;
  /** The refreshing request's IP; `null` keeps the stored one. */
  last_ip: string | null;
}

/** SQL text tagged with the parameter and row types of its statement. */
interface StatementSpec<P extends unknown[] | object, R> {
  readonly sql: string;
  /** better-sqlite3's `expand`: each row as `{ table: { column: value } }`, for joins of `SELECT *`. */
  readonly expand?: boolean;
  readonly types?: (parameters: P) => R;
}

function statement<P extends unknown[] | object, R = unknown>(sql: string): StatementSpec<P, R> {
  return { sql };
}

function expandedStatement<P extends unknown[] | object, R>(sql: string): StatementSpec<P, R> {
  return { sql, expand: true };
}

/** One row of `refreshContext`, keyed by table name (better-sqlite3's `expand`). */
export interface RefreshContextRow {
  refresh_tokens: RefreshTokenRow;
  sessions: SessionRow;
  users: Pick<UserRow, 'env_id' | 'id' | 'email' | 'name' | 'status'>;
  environments: EnvironmentRow;
  /** The computed columns: the successor and memberships as JSON text, the binding as 0 or 1. */
  $: { successor: string | null; client_authorized: 0 | 1; memberships: string };
}

// SQLite has one writer at a time, so the largest order plus one, read inside the writing statement,
// is unique and increasing (migration 0007; indexed, so it is one index lookup).
const NEXT_ACTIVITY_ORDER = '(SELECT coalesce(max(activity_order), 0) + 1 FROM sessions)';

/** The permissions of membership `m`'s roles, a JSON array (duplicates and all). */
const MEMBERSHIP_PERMISSIONS = `SELECT json_group_array(p.value)
            FROM json_each(m.roles) AS k
            JOIN roles AS r ON r.env_id = m.env_id AND r.key = k.value
            JOIN json_each(r.permissions) AS p`;

const STATEMENTS = {
  userExists: statement<[string, string], { found: number }>(
    'SELECT 1 AS found FROM users WHERE env_id = ? AND id = ?',
  ),
  liveSessions: statement<[string, string], SessionRow>(
    'SELECT * FROM sessions WHERE env_id = ? AND user_id = ? AND ended_at IS NULL ORDER BY created_at, id',
  ),
  insertSession: statement<
    Omit<SessionRow, 'ended_at' | 'end_reason' | 'activity_order' | 'last_ip'>
  >(`INSERT INTO sessions (id, env_id, user_id, client_id, created_at, auth_time, last_active_at,
         activity_order, last_refresh_at, default_tenant_id, user_agent, ip)
       VALUES (@id, @env_id, @user_id, @client_id, @created_at, @auth_time, @last_active_at,
         ${NEXT_ACTIVITY_ORDER}, @last_refresh_at, @default_tenant_id, @user_agent, @ip)`),
  insertRefreshToken: statement<
    Pick<RefreshTokenRow, 'token_hash' | 'session_id' | 'issued_at' | 'expires_at'>
  >(`INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at)
       VALUES (@token_hash, @session_id, @issued_at, @expires_at)`),
  insertSuccessorToken: statement<{
    presented_hash: string;
    successor_hash: string;
    issued_at: number;
    expires_at: number;
  }>(`INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at, client_id)
       SELECT @successor_hash, session_id, @issued_at, @expires_at, client_id
       FROM refresh_tokens WHERE token_hash = @presented_hash`),
  insertSessionClient: statement<{ session_id: string; client_id: string; added_at: number }>(
    'INSERT OR IGNORE INTO session_clients (session_id, client_id, added_at) VALUES (@session_id, @client_id, @added_at)',
  ),
  endSession: statement<{ id: string; now: number; reason: string }>(
    'UPDATE sessions SET ended_at = @now, end_reason = @reason WHERE id = @id AND ended_at IS NULL',
  ),
  endUserSessions: statement<
    { env_id: string; user_id: string; now: number; reason: string; except_id: string | null },
    { id: string }
  >(`UPDATE sessions SET ended_at = @now, end_reason = @reason
       WHERE env_id = @env_id AND user_id = @user_id AND ended_at IS NULL AND id IS NOT @except_id
       RETURNING id`),
  supersedeRefreshToken: statement<{
    presented_hash: string;
    session_id: string;
    successor_hash: string;
    now: number;
  }>(`UPDATE refresh_tokens SET rotated_at = @now, successor_hash = @successor_hash
       WHERE token_hash = @presented_hash AND session_id = @session_id AND rotated_at IS NULL
         AND EXISTS (SELECT 1 FROM sessions WHERE id = @session_id AND ended_at IS NULL)`),
  recordSessionActivity: statement<SessionActivityParams>(`UPDATE sessions SET
         last_refresh_at = CASE WHEN @refreshed = 1 THEN @now ELSE last_refresh_at END,
         last_active_at = CASE WHEN @activity = 1 THEN max(last_active_at, @now) ELSE last_active_at END,
         activity_order = CASE WHEN @activity = 1 THEN ${NEXT_ACTIVITY_ORDER} ELSE activity_order END,
         default_tenant_id = coalesce(@default_tenant_id, default_tenant_id),
         last_ip = coalesce(@last_ip, last_ip)
       WHERE id = @session_id AND ended_at IS NULL`),
  // The refresh hot path's read in one statement, so one snapshot without a transaction: token,
  // session, user, environment, and as JSON the successor, the client binding and the memberships.
  refreshContext: expandedStatement<{ token_hash: string; client_id: string | null }, RefreshContextRow>(
    `SELECT rt.*, s.*, u.env_id, u.id, u.email, u.name, u.status, e.*,
         (SELECT json_object('token_hash', n.token_hash, 'session_id', n.session_id,
                   'issued_at', n.issued_at, 'expires_at', n.expires_at, 'rotated_at', n.rotated_at,
                   'successor_hash', n.successor_hash, 'client_id', n.client_id)
            FROM refresh_tokens AS n WHERE n.token_hash = rt.successor_hash) AS successor,
         (@client_id IS NULL OR s.client_id = @client_id OR EXISTS (
            SELECT 1 FROM session_clients AS sc WHERE sc.session_id = s.id AND sc.client_id = @client_id))
           AS client_authorized,
         (SELECT json_group_array(json_object('tenant_id', m.tenant_id, 'tenant_name', t.name,
                   'roles', json(m.roles), 'session_policy', json(t.session_policy),
                   'permissions', json((${MEMBERSHIP_PERMISSIONS}))) ORDER BY m.created_at, m.tenant_id)
            FROM memberships AS m
            JOIN tenants AS t ON t.env_id = m.env_id AND t.id = m.tenant_id
            WHERE m.env_id = s.env_id AND m.user_id = s.user_id) AS memberships
       FROM refresh_tokens AS rt
       JOIN sessions AS s ON s.id = rt.session_id
       JOIN users AS u ON u.env_id = s.env_id AND u.id = s.user_id
       JOIN environments AS e ON e.id = s.env_id
       WHERE rt.token_hash = @token_hash`,
  ),
  environment: statement<[string], EnvironmentRow>('SELECT * FROM environments WHERE id = ?'),
  client: statement<[string, string], ClientRow>('SELECT * FROM clients WHERE env_id = ? AND client_id = ?'),
  membershipViews: statement<
    [string, string],
    MembershipViewRow
  >(`SELECT m.tenant_id, t.name AS tenant_name, m.roles, t.session_policy,
         (${MEMBERSHIP_PERMISSIONS}) AS permissions
       FROM memberships AS m
       JOIN tenants AS t ON t.env_id = m.env_id AND t.id = m.tenant_id
       WHERE m.env_id = ? AND m.user_id = ?
       ORDER BY m.created_at, m.tenant_id`),
  pruneRotatedTokens: statement<{
    before: number;
    limit: number;
  }>(`DELETE FROM refresh_tokens WHERE rowid IN (
       SELECT rowid FROM refresh_tokens WHERE rotated_at IS NOT NULL AND rotated_at < @before LIMIT @limit)`),
  pruneEndedSessions: statement<{ before: number; limit: number }>(`DELETE FROM sessions WHERE id IN (
       SELECT id FROM sessions WHERE ended_at IS NOT NULL AND ended_at < @before LIMIT @limit)`),
  pruneExpiredAuthorizationCodes: statement<{ before: number; limit: number }>(
    `DELETE FROM authorization_codes WHERE rowid IN (
       SELECT rowid FROM authorization_codes WHERE expires_at < @before LIMIT @limit)`,
  ),
  pruneEvents: statement<{ before: number; limit: number }>(
    'DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE at < @before LIMIT @limit)',
  ),
  pruneExpiredInteractions: statement<{ before: number; limit: number }>(
    `DELETE FROM interactions WHERE rowid IN (
       SELECT rowid FROM interactions WHERE expires_at < @before LIMIT @limit)`,
  ),
  setUserStatus: statement<[string, string, string]>(
    'UPDATE users SET status = ? WHERE env_id = ? AND id = ?',
  ),
  deleteUser: statement<[string, string]>('DELETE FROM users WHERE env_id = ? AND id = ?'),
  retireNewestSigningKey: statement<{
    env_id: string;
    retired_at: number;
  }>(`UPDATE signing_keys SET retired_at = @retired_at
       WHERE env_id = @env_id AND kid = (
         SELECT kid FROM signing_keys WHERE env_id = @env_id AND retired_at IS NULL
         ORDER BY activates_at DESC, created_at DESC, kid DESC LIMIT 1)`),
  hasSigningKey: statement<[string], { found: number }>(
    'SELECT 1 AS found FROM signing_keys WHERE env_id = ? LIMIT 1',
  ),
  insertSigningKey: statement<{
    env_id: string;
    kid: string;
    alg: string;
    public_jwk: string;
    private_key_encrypted: string;
    created_at: number;
    activates_at: number;
    retired_at: number | null;
  }>(`INSERT INTO signing_keys (env_id, kid, alg, public_jwk, private_key_encrypted, created_at, activates_at, retired_at)
       VALUES (@env_id, @kid, @alg, @public_jwk, @private_key_encrypted, @created_at, @activates_at, @retired_at)`),
};

export type SqliteStatements = {
  [K in keyof typeof STATEMENTS]: (typeof STATEMENTS)[K] extends StatementSpec<infer P, infer R>
    ? BetterSqlite3.Statement<P, R>
    : never;
};

/** Prepares every statement; call after migrating, since preparing checks the schema. */
export function prepareStatements(db: Db): SqliteStatements {
  return Object.fromEntries(
    Object.entries(STATEMENTS).map(([name, spec]) => {
      const prepared = db.prepare(spec.sql);
      return [name, spec.expand ? prepared.expand(true) : prepared];
    }),
  ) as SqliteStatements;
}
